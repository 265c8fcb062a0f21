/**
 * Gates on real parts: GBDTs trained by the worker's handlers, versions registered from their runs,
 * policies saved as YAML, the gate.evaluate job run from pg-boss by drainJobs, ONNX Runtime scoring.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { projectWithVersion } from "../testing/datasets";
import { drainJobs } from "../testing/drain-jobs";
import { reportSha256 } from "./canonical";
import { runGateJob } from "./evaluate";
import { requestGate } from "./requests";
import { modelVersionRegistered } from "../events/definitions";
import { dispatchEvent } from "../events/dispatch";
import type { GateCheck } from "./schemas";

/** The policy the README shows (resamples lowered to keep the test quick). */
const POLICY = `approvals:
  required: 1
  min_role: ADMIN
checks:
  thresholds:
    - metric: rmse
      max: 60
  champion:
    mode: superiority
    metrics: [rmse, mae]
    confidence: 0.95
    resamples: 2000
    seed: 7
  fairness:
    column: region
    metric: mae
    max_gap: 30
    min_group_size: 10
    resamples: 500
  data_validation: true
  robustness:
    max_degradation: 500%
  budgets:
    p95_single_ms: 2000
    p95_batch_1000_ms: 20000
    max_size_mb: 50
  signature:
    allow_breaking: false
`;

type Setup = Awaited<ReturnType<typeof projectWithVersion>>;
let s: Setup;
let modelId: string;
const runs: Record<"weak" | "strong" | "weaker", string> = { weak: "", strong: "", weaker: "" };

async function train(params: { rounds: number; maxDepth: number }) {
  const run = await s.caller.training.start({ projectId: s.project.id, datasetVersionId: s.version.id, target: "minutes", exclude: ["delivery_id"], trainer: "gbdt", params });
  await drainJobs();
  return run.id;
}

async function register(runId: string) {
  const r = await s.caller.model.register({ projectId: s.project.id, modelName: "eta", runId });
  await drainJobs();
  return r.version;
}

const checkOf = <N extends GateCheck["name"]>(checks: GateCheck[], name: N) => checks.find((c): c is Extract<GateCheck, { name: N }> => c.name === name)!;

async function latest(versionId: string) {
  const [head] = await s.caller.gate.reports({ projectId: s.project.id, versionId });
  expect(head, "a gate report").toBeDefined();
  return s.caller.gate.report({ projectId: s.project.id, reportId: head!.id });
}

beforeAll(async () => {
  s = await projectWithVersion(deliveriesCsv(1200));
  await drainJobs();
  // One clearly better model and two clearly worse ones on the same data (a stump with few rounds).
  runs.weak = await train({ rounds: 3, maxDepth: 1 });
  runs.strong = await train({ rounds: 60, maxDepth: 4 });
  runs.weaker = await train({ rounds: 2, maxDepth: 1 });
}, 240_000);

describe("champion/challenger gate", () => {
  it("passes a better challenger and fails a worse one, both scored on the champion's rows with evidence", async () => {
    const v1 = await register(runs.weak);
    modelId = v1.modelId;
    // No policy yet: registration gates nothing.
    expect(await db().gateReport.count({ where: { modelId } })).toBe(0);
    const saved = await s.caller.gate.savePolicy({ projectId: s.project.id, modelId, yaml: POLICY, comment: "first policy" });
    expect(saved.revision).toBe(1);
    await drainJobs();
    // The first version, gated with no champion: champion checks are skipped and pass.
    const first = await latest(v1.id);
    expect(first.status, first.error ?? "").toBe("DONE");
    expect(checkOf(first.report!.checks, "champion")).toMatchObject({ status: "pass", skipped: "no champion" });
    // The champion alias is promotion's to move; the test sets it directly.
    await db().modelAlias.create({ data: { modelId, name: "champion", versionId: v1.id } });

    const v2 = await register(runs.strong);
    const better = await latest(v2.id);
    expect(better.status, better.error ?? "").toBe("DONE");
    expect(better.championVersionId).toBe(v1.id);
    const report = better.report!;
    expect(report.checks.map((c) => `${c.name}:${c.status}`), report.checks.map((c) => `${c.name}: ${c.summary}`).join("\n")).toEqual([
      "thresholds:pass",
      "champion:pass",
      "fairness:pass",
      "data_validation:pass",
      "robustness:pass",
      "budgets:pass",
      "signature:pass",
    ]);
    expect(report.passed).toBe(true);
    expect(better.passed).toBe(true);
    const champion = checkOf(report.checks, "champion").evidence!;
    const rmse = champion.metrics.find((m) => m.metric === "rmse")!;
    expect(rmse.interval).toBe("paired-bootstrap");
    expect(rmse.difference!).toBeLessThan(0);
    expect(rmse.upper!).toBeLessThan(0);
    expect(rmse.lower!).toBeLessThan(rmse.upper!);
    expect(rmse.tests.map((t) => t.name)).toEqual(["paired t-test", expect.stringMatching(/^Wilcoxon signed-rank/)]);
    expect(rmse.tests[0]!.pValue!).toBeLessThan(0.001);
    expect(rmse.pAdjusted!).toBeGreaterThanOrEqual(rmse.tests[0]!.pValue!);
    expect(champion).toMatchObject({ mode: "superiority", resamples: 2000, seed: 7, confidence: 0.95 });

    // Same rows: the champion's number in the gate equals its own evaluation on its training version's test split.
    const [evaluation] = await s.caller.training.evaluations({ projectId: s.project.id, runId: runs.weak });
    const evaluated = await s.caller.training.evaluation({ projectId: s.project.id, reportId: evaluation!.id });
    const evaluatedRmse = (evaluated.report as { metrics: { rmse: { value: number } }; scoring: { rows: number } });
    expect(rmse.champion).toBeCloseTo(evaluatedRmse.metrics.rmse.value, 9);
    expect(report.rows).toMatchObject({ datasetVersionId: s.version.id, split: "test", count: evaluatedRmse.scoring.rows });
    expect(better.sha256).toBe(reportSha256(report));

    // v2 becomes champion; a worse challenger fails the champion check (and only that).
    await db().modelAlias.update({ where: { modelId_name: { modelId, name: "champion" } }, data: { versionId: v2.id } });
    const v3 = await register(runs.weaker);
    const worse = await latest(v3.id);
    expect(worse.status, worse.error ?? "").toBe("DONE");
    expect(worse.passed).toBe(false);
    const failed = checkOf(worse.report!.checks, "champion");
    expect(failed.status).toBe("fail");
    expect(failed.evidence!.metrics.find((m) => m.metric === "rmse")!.lower!).toBeGreaterThan(0);
    expect(worse.report!.checks.filter((c) => c.status !== "pass").map((c) => c.name)).toEqual(["champion"]);
    expect(worse.report!.rows.count).toBe(report.rows.count);

    // The completion event was written with the DONE row, once per report.
    const events = await db().outboxEvent.findMany({ where: { projectId: s.project.id, type: "gate.report.completed" } });
    expect(events.map((e) => (e.payload as { reportId: string }).reportId).sort()).toEqual([first.id, better.id, worse.id].sort());
    expect(events.find((e) => (e.payload as { reportId: string }).reportId === worse.id)!.payload).toMatchObject({ passed: false, versionId: v3.id });
  }, 240_000);

  it("a redelivered job changes nothing and emits nothing again", async () => {
    const [row] = await db().gateReport.findMany({ where: { modelId, status: "DONE" }, orderBy: { createdAt: "desc" }, take: 1 });
    const before = await db().outboxEvent.count({ where: { projectId: s.project.id, type: "gate.report.completed" } });
    await runGateJob(row!.id);
    const after = await db().gateReport.findUniqueOrThrow({ where: { id: row!.id } });
    expect(after.completedAt).toEqual(row!.completedAt);
    expect(after.sha256).toBe(row!.sha256);
    expect(await db().outboxEvent.count({ where: { projectId: s.project.id, type: "gate.report.completed" } })).toBe(before);
  });

  it("thresholds fail with their numbers; a too-small fairness group is insufficient, never a pass", async () => {
    const yaml = POLICY.replace("max: 60", "max: 0.5").replace("min_group_size: 10", "min_group_size: 100000");
    const saved = await s.caller.gate.savePolicy({ projectId: s.project.id, modelId, yaml, comment: "strict" });
    expect(saved.revision).toBe(2);
    await drainJobs();
    // Saving re-gated the latest version (v3) under revision 2.
    const versions = await db().modelVersion.findMany({ where: { modelId }, orderBy: { number: "desc" } });
    const report = await latest(versions[0]!.id);
    expect(report.policyRevision).toBe(2);
    expect(report.status, report.error ?? "").toBe("DONE");
    const thresholds = checkOf(report.report!.checks, "thresholds");
    expect(thresholds.status).toBe("fail");
    expect(thresholds.evidence!.items[0]).toMatchObject({ metric: "rmse", max: 0.5, passed: false });
    expect(thresholds.evidence!.items[0]!.value!).toBeGreaterThan(0.5);
    const fairness = checkOf(report.report!.checks, "fairness");
    expect(fairness.status).toBe("fail");
    expect(fairness.evidence!.outcome).toBe("insufficient");
    expect(fairness.summary).toMatch(/^insufficient: group\(s\) .* below 100000 rows/);
    expect(fairness.evidence!.groups.map((g) => g.name).sort()).toEqual(["central", "east", "north", "south", "west"]);
    expect(fairness.evidence!.groups.every((g) => g.status === "too_small")).toBe(true);
  }, 120_000);
});

describe("policy revisions", () => {
  it("lists revisions, diffs their YAML, audits each save with its diff, and refuses bad YAML with its line", async () => {
    const revisions = await s.caller.gate.revisions({ projectId: s.project.id, modelId });
    expect(revisions.map((r) => [r.revision, r.comment])).toEqual([
      [2, "strict"],
      [1, "first policy"],
    ]);
    expect(revisions[0]).toMatchObject({ added: 2, removed: 2, author: { id: s.owner.userId } });
    const diff = await s.caller.gate.diff({ projectId: s.project.id, modelId, from: 1, to: 2 });
    expect(diff.lines.filter((l) => l.op !== "same").map((l) => `${l.op} ${l.text.trim()}`)).toEqual(["remove max: 60", "add max: 0.5", "remove min_group_size: 10", "add min_group_size: 100000"]);
    expect(diff.lines.find((l) => l.op === "add")!.newLine).toBe(7);
    const audit = await db().auditEvent.findMany({ where: { projectId: s.project.id, action: "gate.policy.save" }, orderBy: { at: "asc" } });
    expect(audit.map((a) => (a.after as { revision: number }).revision)).toEqual([1, 2]);
    expect((audit[1]!.after as { diff: string[] }).diff).toEqual(expect.arrayContaining(["-      max: 60", "+      max: 0.5"]));

    const bad = POLICY.replace("mode: superiority", "mode: better");
    await expect(s.caller.gate.savePolicy({ projectId: s.project.id, modelId, yaml: bad })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^line 9 \(checks\.champion\.mode\): Invalid option/) });
    await expect(s.caller.gate.savePolicy({ projectId: s.project.id, modelId, yaml: "checks:\n  thresholds:\n    - metric: rocAuc\n      min: 0.8\n" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^line 3 \(checks\.thresholds\.0\.metric\): metric "rocAuc" is not one of rmse, mae, mape, r2/),
    });
    expect((await s.caller.gate.revisions({ projectId: s.project.id, modelId })).length).toBe(2);
    const current = await s.caller.gate.policy({ projectId: s.project.id, modelId });
    expect(current).toMatchObject({ revision: 2, comment: "strict" });

    // The form's direction: a policy object is saved with its YAML generated, and reads back the same.
    // Saving re-gates the challenger and the latest version (not other versions, not archived ones).
    const versions = await db().modelVersion.findMany({ where: { modelId }, orderBy: { number: "asc" } });
    await db().modelAlias.create({ data: { modelId, name: "challenger", versionId: versions[0]!.id } });
    const form = await s.caller.gate.savePolicy({ projectId: s.project.id, modelId, policy: { checks: { champion: { mode: "non_inferiority", margin: 0.5 } } }, comment: "form" });
    expect(form.revision).toBe(3);
    expect(form.yaml).toMatch(/mode: non_inferiority\n(.*\n)*\s+margin: 0.5/);
    expect(form.policy.checks.champion).toMatchObject({ mode: "non_inferiority", margin: 0.5, resamples: 10000 });
    const regated = await db().gateReport.findMany({ where: { modelId, policyRevisionId: form.revisionId! }, select: { versionId: true, status: true } });
    expect(regated.map((r) => r.versionId).sort()).toEqual([versions[0]!.id, versions[2]!.id].sort());
    expect(regated.every((r) => r.status === "PENDING")).toBe(true);
    await db().modelVersion.update({ where: { id: versions[0]!.id }, data: { archivedAt: new Date() } });
    const again = await s.caller.gate.savePolicy({ projectId: s.project.id, modelId, policy: { checks: { data_validation: true } } });
    expect((await db().gateReport.findMany({ where: { policyRevisionId: again.revisionId! } })).map((r) => r.versionId)).toEqual([versions[2]!.id]);
    await drainJobs();
  });
});

describe("gating after registration", () => {
  it("registration does not gate again a version already gated before its event was dispatched (a pipeline's gate step)", async () => {
    const runId = await train({ rounds: 4, maxDepth: 2 });
    // Registered, and its registration event not dispatched yet: the gate step asks for a gate first.
    const { version } = await s.caller.model.register({ projectId: s.project.id, modelName: "eta", runId });
    const asked = await requestGate({ projectId: s.project.id, versionId: version.id, actor: { type: "user", id: s.owner.userId, label: s.owner.email } });
    await runGateJob(asked.id);
    expect((await db().gateReport.findUniqueOrThrow({ where: { id: asked.id } })).status).toBe("DONE");
    const event = await db().outboxEvent.findFirstOrThrow({ where: { projectId: s.project.id, type: modelVersionRegistered.name, payload: { path: ["versionId"], equals: version.id } } });
    expect((await dispatchEvent(event.id.toString())).delivered).toContain("gates.after-registration");
    // Still that one report: a second, pending one would be the version's latest, and a deploy checking
    // for a passed gate would refuse it until the second finished.
    expect(await db().gateReport.findMany({ where: { versionId: version.id }, select: { id: true } })).toEqual([{ id: asked.id }]);
  }, 120_000);
});
