/**
 * Pipelines and revisions against real Postgres: a save creates the pipeline, the same text again adds
 * nothing, a changed text adds a revision; refused YAML writes nothing and carries located problems to
 * tRPC callers; archive/restore, the webhook secret, audit events and tenant isolation.
 */
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { appRouter } from "../api/root";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { AppError } from "../errors";
import { actorOf } from "../tenancy/access";
import { addMember, callerAs, createTestProject, createUser, type TestUser } from "../testing/factories";
import { nextCronRuns } from "./cron";
import { archivePipeline, getPipeline, getWebhook, listPipelines, rotateWebhookSecret, savePipeline } from "./pipelines";
import { startPipelineRun } from "./runs";

let owner: TestUser;
let member: TestUser;
let projectId: string;
let otherProjectId: string;

const yaml = (name: string, extra = "") => `name: ${name}\n${extra}steps:\n  - { id: gate, uses: gate }\n`;

beforeAll(async () => {
  owner = await createUser();
  member = await createUser();
  await addMember(owner.orgId, member, "MEMBER");
  projectId = (await createTestProject(owner.orgId, owner)).id;
  otherProjectId = (await createTestProject(owner.orgId, owner)).id;
});

const audits = (pipelineId: string) => db().auditEvent.findMany({ where: { targetId: pipelineId }, orderBy: { at: "asc" } });

describe("savePipeline", () => {
  it("creates the pipeline, keeps the revision for the same text, adds one for a changed text", async () => {
    const actor = actorOf(member);
    const cron = 'triggers:\n  - cron: "30 4 * * *"\n  - dataset: trips\n';
    const first = await savePipeline({ projectId, yaml: yaml("nightly", cron), source: "cli", actor });
    expect(first).toMatchObject({ name: "nightly", revision: { number: 1, source: "cli" }, triggers: [{ kind: "cron", detail: "30 4 * * *" }, { kind: "dataset", detail: "trips" }], lastRun: null, archivedAt: null });
    expect(first.nextCronRuns).toHaveLength(5);
    const row = await db().pipeline.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.currentRevisionId).toBe(first.revision.id);
    expect(row.webhookSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expectedNext = nextCronRuns("30 4 * * *", new Date(Date.now() - 60_000), 1)[0]!;
    expect(Math.abs(row.nextCronAt!.getTime() - expectedNext.getTime())).toBeLessThanOrEqual(24 * 3600_000);
    expect(row.nextCronAt!.getUTCHours()).toBe(4);
    expect(row.nextCronAt!.getUTCMinutes()).toBe(30);

    const again = await savePipeline({ projectId, yaml: yaml("nightly", cron), source: "ui", actor });
    expect(again.revision).toEqual(first.revision);
    expect(await db().pipelineRevision.count({ where: { pipelineId: first.id } })).toBe(1);

    const changed = await savePipeline({ projectId, yaml: yaml("nightly"), source: "ui", actor });
    expect(changed.revision).toMatchObject({ number: 2, source: "ui" });
    expect(changed.revisions.map((r) => r.number)).toEqual([2, 1]);
    expect(changed.nextCronRuns).toEqual([]);
    // Older revisions keep their YAML, readable through the project only.
    expect(await callerAs(member).pipeline.revision({ projectId, pipelineId: first.id, number: 1 })).toMatchObject({ number: 1, source: "cli", yaml: yaml("nightly", cron) });
    await expect(callerAs(member).pipeline.revision({ projectId, pipelineId: first.id, number: 3 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(member).pipeline.revision({ projectId: otherProjectId, pipelineId: first.id, number: 1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db().pipeline.findUniqueOrThrow({ where: { id: first.id } })).nextCronAt).toBeNull();
    expect((await audits(first.id)).map((a) => [a.action, a.actorId])).toEqual([
      ["pipeline.create", member.userId],
      ["pipeline.save", member.userId],
    ]);
  });

  it("refuses bad YAML with every located problem, writing nothing", async () => {
    const text = "name: broken\nsteps:\n  - { id: a, uses: train }\n  - { id: a, uses: gate }\n";
    const err = await savePipeline({ projectId, yaml: text, source: "ui", actor: actorOf(member) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("BAD_REQUEST");
    expect((err as AppError).message).toMatch(/line 3, column \d+: steps\[0\]\.with/);
    expect((err as AppError).details?.problems).toEqual([
      expect.objectContaining({ line: 3, path: "steps[0].with" }),
    ]);
    expect(await db().pipeline.count({ where: { projectId, name: "broken" } })).toBe(0);

    // tRPC callers (the editor) read the same problems from error.data.details.
    const trpc = await callerAs(member).pipeline.save({ projectId, yaml: "name: broken\nsteps:\n  - { id: a, uses: gate, needs: [b] }\n" }).catch((e: unknown) => e);
    expect(trpc).toBeInstanceOf(TRPCError);
    expect((trpc as TRPCError).code).toBe("BAD_REQUEST");
    expect(((trpc as TRPCError).cause as AppError).details?.problems).toEqual([{ line: 3, column: 34, path: "steps[0].needs[0]", message: 'needs "b": no step has that id' }]);
  });

  it("gives the browser the problems in error.data.details over HTTP", async () => {
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/pipeline.save", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(superjson.serialize({ projectId, yaml: "name: http\nsteps:\n  - { id: a, uses: nope }\n" })),
      }),
      router: appRouter,
      createContext: async () => ({ identity: member, badToken: false, ip: "127.0.0.1" }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string; data: { code: string; details?: { problems: unknown[] } } } } };
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(body.error.json.message).toMatch(/^The pipeline YAML has a problem: line 3, column 20: steps\[0\]\.uses/);
    expect(body.error.json.data.details?.problems).toEqual([{ line: 3, column: 20, path: "steps[0].uses", message: expect.stringMatching(/^must be one of validate-data/) }]);
  });

  it("two first saves of one name at once make one pipeline with two revisions", async () => {
    const [a, b] = await Promise.all([
      savePipeline({ projectId, yaml: yaml("racy", "description: one\n"), source: "api", actor: actorOf(owner) }),
      savePipeline({ projectId, yaml: yaml("racy", "description: two\n"), source: "api", actor: actorOf(owner) }),
    ]);
    expect(a.id).toBe(b.id);
    expect([a.revision.number, b.revision.number].sort()).toEqual([1, 2]);
    expect(await db().pipelineRevision.count({ where: { pipelineId: a.id } })).toBe(2);
  });
});

describe("pipeline.validate", () => {
  it("answers the steps and next cron runs for a good text and located problems for a bad one, saving nothing", async () => {
    const viewer = await createUser();
    await addMember(owner.orgId, viewer, "VIEWER");
    const c = callerAs(viewer);
    const good = await c.pipeline.validate({ projectId, yaml: yaml("checked", 'triggers:\n  - cron: "15 * * * *"\n') });
    expect(good).toMatchObject({ ok: true, name: "checked", problems: [], steps: [{ id: "gate", kind: "gate", needs: [], condition: null }] });
    expect(good.nextCronRuns).toHaveLength(5);
    expect(good.nextCronRuns.every((t) => t.slice(13, 19) === ":15:00")).toBe(true);
    const bad = await c.pipeline.validate({ projectId, yaml: "name: checked\nsteps:\n  - { id: a, uses: gate, if: zz.failed }\n" });
    expect(bad).toMatchObject({ ok: false, problems: [{ line: 3, path: "steps[0].if", message: 'if "zz": no step has that id' }] });
    expect(await db().pipeline.count({ where: { projectId, name: "checked" } })).toBe(0);
  });
});

describe("reading, archiving and the webhook", () => {
  it("lists with triggers in words, archives (no runs, no cron), restores on save", async () => {
    const actor = actorOf(member);
    const text = yaml("archivable", 'triggers:\n  - push: { branches: [main, release] }\n  - monitor: eta-drift\n  - cron: "0 * * * *"\nbudget: { maxRunsPerDay: 3 }\nconcurrency: cancel-previous\n');
    const p = await savePipeline({ projectId, yaml: text, source: "ui", actor });
    const listed = (await listPipelines({ projectId })).find((x) => x.id === p.id)!;
    expect(listed).toMatchObject({
      triggers: [{ kind: "push", detail: "main, release" }, { kind: "monitor", detail: "eta-drift" }, { kind: "cron", detail: "0 * * * *" }],
      maxRunsPerDay: 3,
      concurrency: "cancel-previous",
    });

    const archived = await archivePipeline({ projectId, pipelineId: p.id, actor });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(archived.nextCronAt).toBeNull();
    expect((await listPipelines({ projectId })).map((x) => x.id)).not.toContain(p.id);
    expect((await listPipelines({ projectId, includeArchived: true })).map((x) => x.id)).toContain(p.id);
    await expect(startPipelineRun({ projectId, pipelineId: p.id, trigger: "manual", triggerInfo: {}, actor })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await getPipeline({ projectId, pipelineId: p.id })).nextCronRuns).toEqual([]);

    const restored = await savePipeline({ projectId, yaml: text, source: "ui", actor });
    expect(restored).toMatchObject({ archivedAt: null, revision: { number: 1 } });
    expect(restored.nextCronAt).toBeInstanceOf(Date);
    expect((await audits(p.id)).map((a) => a.action)).toEqual(["pipeline.create", "pipeline.archive", "pipeline.restore"]);
  });

  it("rotates the webhook secret without writing it to the audit log", async () => {
    const p = await savePipeline({ projectId, yaml: yaml("hooked"), source: "ui", actor: actorOf(owner) });
    const before = await getWebhook({ projectId, pipelineId: p.id });
    expect(before.githubUrl).toMatch(new RegExp(`/api/v1/hooks/pipelines/${p.id}/github$`));
    expect(before.gitlabUrl).toMatch(new RegExp(`/api/v1/hooks/pipelines/${p.id}/gitlab$`));
    const after = await rotateWebhookSecret({ projectId, pipelineId: p.id, actor: actorOf(owner) });
    expect(after.secret).not.toBe(before.secret);
    expect((await db().pipeline.findUniqueOrThrow({ where: { id: p.id } })).webhookSecret).toBe(after.secret);
    const events = await audits(p.id);
    expect(events.map((e) => e.action)).toEqual(["pipeline.create", "pipeline.webhook.rotate"]);
    expect(JSON.stringify(events)).not.toContain(after.secret);
    expect(JSON.stringify(events)).not.toContain(before.secret);
  });
});

describe("tenant isolation", () => {
  it("a pipeline is reachable only through its own project; names are per project", async () => {
    const p = await savePipeline({ projectId, yaml: yaml("private"), source: "ui", actor: actorOf(owner) });
    const twin = await savePipeline({ projectId: otherProjectId, yaml: yaml("private"), source: "ui", actor: actorOf(owner) });
    expect(twin.id).not.toBe(p.id);
    const wrong = { projectId: otherProjectId, pipelineId: p.id };
    await expect(getPipeline(wrong)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getWebhook(wrong)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(archivePipeline({ ...wrong, actor: actorOf(owner) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(rotateWebhookSecret({ ...wrong, actor: actorOf(owner) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(startPipelineRun({ ...wrong, trigger: "manual", triggerInfo: {}, actor: actorOf(owner) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db().pipeline.findUniqueOrThrow({ where: { id: p.id } })).archivedAt).toBeNull();

    const outsider = callerAs(await createUser());
    const ref = { projectId, pipelineId: p.id };
    const calls = [
      () => outsider.pipeline.get(ref),
      () => outsider.pipeline.list({ projectId }),
      () => outsider.pipeline.archive(ref),
      () => outsider.pipeline.webhook(ref),
      () => outsider.pipeline.save({ projectId, yaml: yaml("private", "description: hijack\n") }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    const anonymous = callerAs(null);
    await expect(anonymous.pipeline.get(ref)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await db().pipelineRevision.count({ where: { pipelineId: p.id } })).toBe(1);
  });

  it("a VIEWER reads but cannot save, archive or see the webhook secret", async () => {
    const viewer = await createUser();
    await addMember(owner.orgId, viewer, "VIEWER");
    const p = await savePipeline({ projectId, yaml: yaml("guarded"), source: "ui", actor: actorOf(owner) });
    const c = callerAs(viewer);
    expect((await c.pipeline.get({ projectId, pipelineId: p.id })).name).toBe("guarded");
    await expect(c.pipeline.save({ projectId, yaml: yaml("guarded", "description: x\n") })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(c.pipeline.archive({ projectId, pipelineId: p.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(member).pipeline.webhook({ projectId, pipelineId: p.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
