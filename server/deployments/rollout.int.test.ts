/**
 * Canary rollouts against real Postgres and real pg-boss: the user's advance/pause/resume, and the
 * rollout.step job deciding on health read from real samples (written by the serving processes'
 * HealthRecorder) and real feedback joined to the prediction log. A job scheduled for a state that has
 * moved on, or delivered twice, changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { rolloutStep } from "../jobs/definitions";
import { PredictionLogger } from "../predictions/log";
import { recordFeedback } from "../predictions/feedback";
import { HealthRecorder } from "../serving/health";
import { callerAs } from "../testing/factories";
import { addVersion, codeOf, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";
import { runRolloutStep } from "./rollout";
import type { RolloutConfig } from "./schemas";

let w: PromotionWorld;
let admin: ReturnType<typeof callerAs>;
const recorder = () => new HealthRecorder({ pool: pool(), flushMs: 3_600_000, processId: "test-process" });

beforeAll(async () => {
  w = await promotionWorld();
  admin = callerAs(w.admin1);
});

let n = 0;
/** A staging deployment of a fresh model's champion v1, with v2 to roll out. */
async function deployment() {
  const { model } = await createModel(w, { required: 1, min_role: "ADMIN" });
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  const dep = await admin.deployment.create({ projectId: w.project.id, environment: "staging", name: `canary-${++n}`, modelId: model.id });
  return { ref: { projectId: w.project.id, deploymentId: dep.id }, v1: v1.id, v2: v2.id };
}

type Payload = ReturnType<typeof rolloutStep.payload.parse>;
/** The rollout.step jobs waiting for a deployment, oldest first, as pg-boss stores them. */
async function queued(deploymentId: string): Promise<{ data: Payload; startAfter: Date }[]> {
  const { rows } = await pool().query<{ data: Payload; start_after: Date }>(
    `SELECT data, start_after FROM pgboss.job WHERE name = $1 AND data->>'deploymentId' = $2 AND state = 'created' ORDER BY created_on`,
    [rolloutStep.name, deploymentId],
  );
  return rows.map((r) => ({ data: rolloutStep.payload.parse(r.data), startAfter: r.start_after }));
}

async function ledger(deploymentId: string) {
  return db().deploymentLedgerEntry.findMany({ where: { deploymentId }, orderBy: { seq: "asc" } });
}

const config = (over: Partial<Omit<RolloutConfig, "health">> & { health?: Partial<RolloutConfig["health"]> } = {}) => ({
  steps: [5, 25, 50, 100],
  bakeSeconds: 60,
  autoRollback: true,
  ...over,
  health: { maxErrorRate: 0.01, maxP95Ratio: 1.5, minRequests: 20, metric: null, ...over.health },
});

/** Real samples for the two arms: `count` answers at `ms` each, and `errors` server errors. */
async function traffic(deploymentId: string, arms: { versionId: string; count: number; ms: number; errors?: number }[]) {
  const r = recorder();
  for (const a of arms) {
    const target = { projectId: w.project.id, deploymentId, versionId: a.versionId };
    for (let i = 0; i < a.count; i++) r.answered(target, a.ms);
    for (let i = 0; i < (a.errors ?? 0); i++) r.failed(target, 500);
  }
  await r.close();
}

const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

describe("canary rollout", () => {
  it("starts at the first step with a scheduled check; advance walks the steps and promotes after the last", async () => {
    const { ref, v1, v2 } = await deployment();
    const started = await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config() });
    expect(started).toMatchObject({ strategy: "canary", status: "rolling_out", candidateVersionId: v2, candidatePercent: 5 });
    expect(started.rollout).toMatchObject({ step: 0, lastCheck: null, config: { steps: [5, 25, 50, 100], bakeSeconds: 60 } });
    const [first] = await queued(ref.deploymentId);
    expect(first!.data).toEqual({ deploymentId: ref.deploymentId, generation: started.generation, step: 0, lastCheckAt: null });
    // Checked every min(bake/5, 30 s): 12 s after the start.
    expect(first!.startAfter.getTime() - Date.parse(started.rollout!.stepStartedAt)).toBeGreaterThan(11_000);

    const percents: number[] = [];
    for (let i = 0; i < 3; i++) percents.push((await admin.deployment.advance(ref)).candidatePercent);
    expect(percents).toEqual([25, 50, 100]);
    const promoted = await admin.deployment.advance(ref);
    expect(promoted).toMatchObject({ strategy: "direct", status: "active", stableVersionId: v2, candidateVersionId: null, rollout: null });
    const entries = await ledger(ref.deploymentId);
    expect(entries.map((e) => e.kind)).toEqual(["create", "candidate", "step", "step", "step", "promote"]);
    expect(new Set(entries.slice(2).map((e) => e.actor))).toEqual(new Set([`user:${w.admin1.userId}`]));
    expect((await codeOf(admin.deployment.advance(ref))).code).toBe("CONFLICT");
    // Every job scheduled on the way is outdated now and does nothing.
    for (const job of await queued(ref.deploymentId)) expect(await runRolloutStep(job.data, later(3600))).toBe("stale");
    expect((await db().deployment.findUniqueOrThrow({ where: { id: ref.deploymentId } })).stableVersionId).toBe(v2);
    expect(v1).not.toBe(v2);
  });

  it("a canary without rollout steps stays manual: no job, advance is CONFLICT", async () => {
    const { ref, v2 } = await deployment();
    const dep = await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", candidatePercent: 10 });
    expect(dep).toMatchObject({ candidatePercent: 10, rollout: null });
    expect(await queued(ref.deploymentId)).toEqual([]);
    expect((await codeOf(admin.deployment.advance(ref))).message).toMatch(/no canary rollout/);
  });

  it("an unknown online metric is refused with BAD_REQUEST and nothing changes", async () => {
    const { ref, v2 } = await deployment();
    const err = await codeOf(admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config({ health: { metric: { name: "accuracy", maxDegradation: 0.1, minLabels: 10 } } }) }));
    expect(err).toMatchObject({ code: "BAD_REQUEST" });
    expect(err.message).toMatch(/"accuracy" is not a regression metric/);
    expect((await db().deployment.findUniqueOrThrow({ where: { id: ref.deploymentId } })).candidateVersionId).toBeNull();
  });

  it("with too few candidate requests the step holds (lastCheck insufficient, no ledger entry), even past its bake time", async () => {
    const { ref, v1, v2 } = await deployment();
    await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config({ bakeSeconds: 1 }) });
    await traffic(ref.deploymentId, [{ versionId: v1, count: 100, ms: 2 }, { versionId: v2, count: 5, ms: 2 }]);
    const [job] = await queued(ref.deploymentId);
    expect(await runRolloutStep(job!.data, later(5))).toBe("hold");
    const dep = await admin.deployment.get(ref);
    expect(dep).toMatchObject({ candidatePercent: 5, status: "rolling_out", generation: job!.data.generation });
    expect(dep.rollout!.lastCheck).toMatchObject({ verdict: "insufficient", reasons: ["candidate requests 5 < 20 needed"], candidate: { requests: 5 }, stable: { requests: 100 } });
    expect((await ledger(ref.deploymentId)).map((e) => e.kind)).toEqual(["create", "candidate"]);
    // The next check is queued against the recorded check; the one that ran is done.
    const next = await queued(ref.deploymentId);
    expect(next.map((j) => j.data.lastCheckAt)).toEqual([null, dep.rollout!.lastCheck!.at]);
    // Delivered again, the first job finds a newer check and changes nothing (no second chain of checks).
    expect(await runRolloutStep(job!.data, later(6))).toBe("stale");
    expect(await queued(ref.deploymentId)).toHaveLength(2);
  });

  it("a healthy baked step moves on, by the job, with the health check as evidence; a redelivered job does nothing", async () => {
    const { ref, v1, v2 } = await deployment();
    await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config({ bakeSeconds: 1 }) });
    await traffic(ref.deploymentId, [{ versionId: v1, count: 200, ms: 3 }, { versionId: v2, count: 40, ms: 3 }]);
    const [job] = await queued(ref.deploymentId);
    expect(await runRolloutStep(job!.data, later(2))).toBe("step");
    expect(await runRolloutStep(job!.data, later(2))).toBe("stale");
    const entries = await ledger(ref.deploymentId);
    expect(entries.map((e) => e.kind)).toEqual(["create", "candidate", "step"]);
    const step = entries[2]!;
    expect(step.actor).toBe("job:rollout.step");
    expect(step.toSplit).toMatchObject({ candidatePercent: 25 });
    expect(step.evidence).toMatchObject({ health: { verdict: "healthy", candidate: { requests: 40, errors: 0 }, stable: { requests: 200 } } });
    expect((await admin.deployment.get(ref)).rollout).toMatchObject({ step: 1, lastCheck: { verdict: "healthy" } });
  });

  it("a move the environment's policy refuses (candidate archived meanwhile) holds with the reason instead of failing the job", async () => {
    const { ref, v1, v2 } = await deployment();
    await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config({ bakeSeconds: 1 }) });
    await db().modelVersion.update({ where: { id: v2 }, data: { archivedAt: new Date() } });
    await traffic(ref.deploymentId, [{ versionId: v1, count: 100, ms: 2 }, { versionId: v2, count: 40, ms: 2 }]);
    const [job] = await queued(ref.deploymentId);
    expect(await runRolloutStep(job!.data, later(2))).toBe("hold");
    const dep = await admin.deployment.get(ref);
    expect(dep).toMatchObject({ candidatePercent: 5, rollout: { step: 0, lastCheck: { verdict: "healthy", reasons: [expect.stringMatching(/^cannot move on: v\d+ is archived/)] } } });
    expect((await queued(ref.deploymentId)).filter((j) => j.data.lastCheckAt === dep.rollout!.lastCheck!.at)).toHaveLength(1);
  });

  it("a failing error rate rolls the candidate back: auto_rollback with the evidence, traffic back to stable", async () => {
    const { ref, v1, v2 } = await deployment();
    await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config() });
    await traffic(ref.deploymentId, [{ versionId: v1, count: 200, ms: 3 }, { versionId: v2, count: 48, ms: 3, errors: 2 }]);
    const [job] = await queued(ref.deploymentId);
    // Before the bake ends: a failing check does not wait for it.
    expect(await runRolloutStep(job!.data, later(1))).toBe("auto_rollback");
    const dep = await admin.deployment.get(ref);
    expect(dep).toMatchObject({ strategy: "direct", status: "rolled_back", stableVersionId: v1, candidateVersionId: null, candidatePercent: 0, rollout: null });
    const last = (await ledger(ref.deploymentId)).at(-1)!;
    expect(last).toMatchObject({ kind: "auto_rollback", actor: "job:rollout.step" });
    expect(last.reason).toMatch(/error rate 4\.0 % > 1\.0 %/);
    expect(last.evidence).toMatchObject({ health: { verdict: "failing", candidate: { requests: 50, errors: 2, errorRate: 0.04 }, reasons: [expect.stringMatching(/^error rate 4\.0 % > 1\.0 %/)] } });
    expect(await runRolloutStep(job!.data, later(2))).toBe("stale");
    expect((await ledger(ref.deploymentId)).filter((e) => e.kind === "auto_rollback")).toHaveLength(1);
  });

  it("a p95 latency over the allowed ratio of stable's fails the step", async () => {
    const { ref, v1, v2 } = await deployment();
    await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config() });
    await traffic(ref.deploymentId, [{ versionId: v1, count: 100, ms: 4 }, { versionId: v2, count: 30, ms: 40 }]);
    const [job] = await queued(ref.deploymentId);
    expect(await runRolloutStep(job!.data, later(1))).toBe("auto_rollback");
    const last = (await ledger(ref.deploymentId)).at(-1)!;
    expect(last.kind).toBe("auto_rollback");
    expect(last.reason).toMatch(/p95 latency .* > 1\.50×/);
  });

  it("without autoRollback a failing step holds and is recorded; the user decides", async () => {
    const { ref, v1, v2 } = await deployment();
    await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config({ autoRollback: false, bakeSeconds: 1 }) });
    await traffic(ref.deploymentId, [{ versionId: v1, count: 100, ms: 2 }, { versionId: v2, count: 20, ms: 2, errors: 20 }]);
    const [job] = await queued(ref.deploymentId);
    expect(await runRolloutStep(job!.data, later(5))).toBe("hold");
    const dep = await admin.deployment.get(ref);
    expect(dep).toMatchObject({ candidatePercent: 5, status: "rolling_out" });
    expect(dep.rollout!.lastCheck).toMatchObject({ verdict: "failing", reasons: [expect.stringMatching(/^error rate 50\.0 %/)] });
  });

  it("an online metric from feedback worse than allowed fails the step once both arms have enough labels", async () => {
    const { ref, v1, v2 } = await deployment();
    await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config({ health: { metric: { name: "rmse", maxDegradation: 1, minLabels: 20 } } }) });
    await traffic(ref.deploymentId, [{ versionId: v1, count: 100, ms: 2 }, { versionId: v2, count: 30, ms: 2 }]);
    const [job] = await queued(ref.deploymentId);
    // Predictions of both arms in the log; the truth is 10 for every row: stable is off by 0.5, the candidate by 3.
    const logger = new PredictionLogger({ pool: pool(), flushIntervalMs: 50 });
    const labels: { requestId: string; labels: number[] }[] = [];
    for (let i = 0; i < 25; i++) {
      for (const [versionId, pred] of [[v1, 10.5], [v2, 13]] as const) {
        const requestId = `${ref.deploymentId}-${versionId}-${i}`;
        logger.log({ projectId: w.project.id, deploymentId: ref.deploymentId, versionId, requestId, role: "primary", inputs: [{ x: i }], outputs: [pred], latencyMs: 1 });
        labels.push({ requestId, labels: [10] });
      }
    }
    await logger.close();
    // Too few labels first: the metric is not judged and the step is healthy.
    await recordFeedback({ projectId: w.project.id, deploymentId: ref.deploymentId, items: labels.slice(0, 20) });
    expect(await runRolloutStep(job!.data, later(1))).toBe("hold");
    const held = (await admin.deployment.get(ref)).rollout!.lastCheck!;
    expect(held).toMatchObject({ verdict: "healthy", candidate: { metric: { name: "rmse", labels: 10, value: 3 } }, stable: { metric: { labels: 10, value: 0.5 } } });
    await recordFeedback({ projectId: w.project.id, deploymentId: ref.deploymentId, items: labels.slice(20) });
    const [next] = await queued(ref.deploymentId).then((q) => q.filter((j) => j.data.lastCheckAt !== null));
    expect(await runRolloutStep(next!.data, later(2))).toBe("auto_rollback");
    const last = (await ledger(ref.deploymentId)).at(-1)!;
    expect(last.reason).toMatch(/rmse 3\.000 vs stable 0\.5000: 2\.500 worse > 1\.000 allowed/);
    expect(last.evidence).toMatchObject({ health: { candidate: { metric: { labels: 25, value: 3 } } } });
  });

  it("pause holds the rollout (its jobs do nothing); resume restarts the step's bake clock with a new check", async () => {
    const { ref, v1, v2 } = await deployment();
    const started = await admin.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", rollout: config({ bakeSeconds: 1 }) });
    const [job] = await queued(ref.deploymentId);
    const paused = await admin.deployment.pause(ref);
    expect(paused).toMatchObject({ status: "paused", candidatePercent: 5, rollout: { step: 0 } });
    expect(await runRolloutStep(job!.data, later(5))).toBe("stale");
    expect((await codeOf(admin.deployment.advance(ref))).message).toMatch(/paused/);
    await new Promise((r) => setTimeout(r, 20));
    const resumed = await admin.deployment.resume(ref);
    expect(resumed).toMatchObject({ status: "rolling_out", rollout: { step: 0, lastCheck: null } });
    expect(Date.parse(resumed.rollout!.stepStartedAt)).toBeGreaterThan(Date.parse(started.rollout!.stepStartedAt));
    const fresh = (await queued(ref.deploymentId)).filter((j) => j.data.generation === resumed.generation);
    expect(fresh).toHaveLength(1);
    await traffic(ref.deploymentId, [{ versionId: v1, count: 100, ms: 2 }, { versionId: v2, count: 40, ms: 2 }]);
    expect(await runRolloutStep(job!.data, later(5))).toBe("stale");
    expect(await runRolloutStep(fresh[0]!.data, later(5))).toBe("step");
    // Abort ends the rollout: the candidate and the rollout state go together.
    const aborted = await admin.deployment.abort(ref);
    expect(aborted).toMatchObject({ candidateVersionId: null, rollout: null, status: "aborted" });
  });
});
