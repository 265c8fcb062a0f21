/**
 * The cron tick at explicit times: due pipelines start one run per fire time, nextCronAt moves past
 * `now`, missed fire times start one run (not one each), and overlapping ticks start nothing twice.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { enqueue, getBoss, stopBoss } from "../../jobs/boss";
import { pipelineCronTick } from "../../jobs/definitions";
import { HANDLERS } from "../../../workers/handlers";
import { startPipelineRun } from "../runs";
import { fireDueCrons } from "./cron-tick";
import { addPipeline, runsOf, triggerWorld, type TriggerWorld } from "./test-world";

let w: TriggerWorld;
const at = (iso: string) => new Date(iso);
const nextCronAt = async (id: string) => (await db().pipeline.findUniqueOrThrow({ where: { id }, select: { nextCronAt: true } })).nextCronAt;
const setNext = (id: string, iso: string | null) => db().pipeline.update({ where: { id }, data: { nextCronAt: iso ? at(iso) : null } });
/** Fires at `now`, keeping only this file's pipelines in view (other tests' pipelines may be due too). */
const fire = async (now: Date, ids: string[]) => (await fireDueCrons(now)).filter((f) => ids.includes(f.pipelineId));

beforeAll(async () => {
  w = await triggerWorld();
});

describe("cron tick", () => {
  it("starts a due pipeline once per fire time and moves nextCronAt to the next one", async () => {
    const p = await addPipeline(w, "nightly", { triggers: [{ cron: "0 3 * * *" }] });
    // savePipeline set the next fire after the real clock; the test puts the schedule at a known time.
    expect(await nextCronAt(p.id)).not.toBeNull();
    await setNext(p.id, "2026-01-01T03:00:00.000Z");

    expect(await fire(at("2026-01-01T02:59:59Z"), [p.id])).toEqual([]);
    expect(await runsOf(p.id)).toHaveLength(0);

    const fired = await fire(at("2026-01-01T03:00:20Z"), [p.id]);
    expect(fired).toMatchObject([{ pipelineId: p.id, cron: "0 3 * * *", scheduledFor: at("2026-01-01T03:00:00Z"), next: at("2026-01-02T03:00:00Z"), created: true, refused: null }]);
    expect(await nextCronAt(p.id)).toEqual(at("2026-01-02T03:00:00Z"));
    const runs = await runsOf(p.id);
    expect(runs).toMatchObject([{ trigger: "cron", triggerInfo: { cron: "0 3 * * *", scheduledFor: "2026-01-01T03:00:00.000Z" }, idempotencyKey: "cron:2026-01-01T03:00:00.000Z" }]);

    // The same minute ticked again: nothing is due any more.
    expect(await fire(at("2026-01-01T03:00:50Z"), [p.id])).toEqual([]);
    expect(await runsOf(p.id)).toHaveLength(1);
  });

  it("starts one run for fire times missed while nothing ticked, not one per missed time", async () => {
    const p = await addPipeline(w, "hourly", { triggers: [{ cron: "0 * * * *" }] });
    await setNext(p.id, "2026-02-01T00:00:00.000Z");
    // Four days and ten hours of hourly fires were missed.
    const fired = await fire(at("2026-02-05T10:30:00Z"), [p.id]);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ scheduledFor: at("2026-02-01T00:00:00Z"), next: at("2026-02-05T11:00:00Z") });
    expect(await runsOf(p.id)).toHaveLength(1);
    expect(await nextCronAt(p.id)).toEqual(at("2026-02-05T11:00:00Z"));
  });

  it("starts a fire time once when ticks overlap or the same fire comes round again", async () => {
    const p = await addPipeline(w, "overlap", { triggers: [{ cron: "*/5 * * * *" }] });
    await setNext(p.id, "2026-03-01T12:00:00.000Z");
    const now = at("2026-03-01T12:01:00Z");
    const [a, b] = await Promise.all([fire(now, [p.id]), fire(now, [p.id])]);
    expect(a.length + b.length).toBe(1);
    expect(await runsOf(p.id)).toHaveLength(1);
    // A tick retried after it had started the run (nextCronAt put back) finds the run keyed by its fire time.
    await setNext(p.id, "2026-03-01T12:00:00.000Z");
    expect(await fire(now, [p.id])).toMatchObject([{ created: false }]);
    expect(await runsOf(p.id)).toHaveLength(1);
  });

  it("leaves archived pipelines alone and stops a schedule whose cron trigger is gone", async () => {
    const archived = await addPipeline(w, "archived-cron", { triggers: [{ cron: "0 3 * * *" }], archived: true });
    await setNext(archived.id, "2026-01-01T03:00:00.000Z");
    const noCron = await addPipeline(w, "no-cron", { triggers: [{ dataset: "trips" }] });
    await setNext(noCron.id, "2026-01-01T03:00:00.000Z");
    expect(await fire(at("2026-01-01T04:00:00Z"), [archived.id, noCron.id])).toEqual([]);
    expect(await runsOf(archived.id)).toHaveLength(0);
    expect(await runsOf(noCron.id)).toHaveLength(0);
    expect(await nextCronAt(archived.id)).toEqual(at("2026-01-01T03:00:00Z"));
    expect(await nextCronAt(noCron.id)).toBeNull();
  });

  it("skips a fire refused by the budget and keeps the schedule going", async () => {
    const p = await addPipeline(w, "budget-cron", { triggers: [{ cron: "30 * * * *" }], maxRunsPerDay: 1 });
    await startPipelineRun({ projectId: w.projectId, pipelineId: p.id, trigger: "manual", triggerInfo: {}, actor: w.actor });
    // The budget counts runs since UTC midnight of the real clock, so the fire is set just behind it.
    const now = new Date();
    const due = new Date(now.getTime() - 60_000);
    await setNext(p.id, due.toISOString());
    const fired = await fire(now, [p.id]);
    expect(fired).toMatchObject([{ run: null, created: false, refused: { code: "TOO_MANY_REQUESTS" } }]);
    expect((await runsOf(p.id)).map((r) => r.trigger)).toEqual(["manual"]);
    expect((await nextCronAt(p.id))!.getTime()).toBeGreaterThan(now.getTime());
  });

  it("runs as the scheduled tick job through the worker's handler", async () => {
    const p = await addPipeline(w, "via-job", { triggers: [{ cron: "0 0 1 1 *" }] });
    await setNext(p.id, new Date(Date.now() - 1000).toISOString());
    await enqueue(pipelineCronTick, {});
    const [job] = await (await getBoss()).fetch<unknown>(pipelineCronTick.name, { batchSize: 1 });
    await HANDLERS[pipelineCronTick.name]!(job!, { id: "test", hostname: "test-host", gpus: [], cpuCount: 1, version: "test" });
    expect((await runsOf(p.id)).map((r) => r.trigger)).toEqual(["cron"]);
    expect(pipelineCronTick.cron).toBe("* * * * *");
  });

  it("is on pg-boss's schedule once a supervising process (a worker) starts, on a queue that never piles ticks up", async () => {
    await stopBoss({ graceful: false });
    const boss = await getBoss({ supervise: true });
    expect(await boss.getSchedule(pipelineCronTick.name)).toMatchObject({ name: pipelineCronTick.name, cron: "* * * * *", timezone: "UTC" });
    expect(await boss.getQueue(pipelineCronTick.name)).toMatchObject({ policy: "stately" });
    await stopBoss({ graceful: false });
  });
});
