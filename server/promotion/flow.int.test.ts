/**
 * The whole path on real parts: GBDTs trained by the worker's handlers, versions registered from
 * their runs, the gate.evaluate job run from pg-boss, then approve → promote → rollback. Promotion
 * checks the gate job's real report (its hash after a round trip through jsonb) and its champion.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { addMember, callerAs, createUser, type TestUser } from "../testing/factories";
import { projectWithVersion } from "../testing/datasets";
import { drainJobs } from "../testing/drain-jobs";

const POLICY = `approvals:
  required: 1
  min_role: ADMIN
checks:
  champion:
    mode: superiority
    metrics: [rmse]
    resamples: 1000
    seed: 3
  signature:
    allow_breaking: false
`;

let s: Awaited<ReturnType<typeof projectWithVersion>>;
let reviewer: TestUser;
const runs = { weak: "", strong: "" };

async function train(params: { rounds: number; maxDepth: number }) {
  const run = await s.caller.training.start({ projectId: s.project.id, datasetVersionId: s.version.id, target: "minutes", exclude: ["delivery_id"], trainer: "gbdt", params });
  await drainJobs();
  return run.id;
}

beforeAll(async () => {
  s = await projectWithVersion(deliveriesCsv(800));
  await drainJobs();
  reviewer = await createUser();
  await addMember(s.owner.orgId, reviewer, "ADMIN");
  runs.weak = await train({ rounds: 3, maxDepth: 1 });
  runs.strong = await train({ rounds: 40, maxDepth: 4 });
}, 240_000);

describe("register → gate → approve → promote → rollback", () => {
  it("promotes on the gate job's own report and rolls back", async () => {
    const projectId = s.project.id;
    const v1 = (await s.caller.model.register({ projectId, modelName: "eta", runId: runs.weak })).version;
    const modelId = v1.modelId;
    await s.caller.gate.savePolicy({ projectId, modelId, yaml: POLICY, comment: "flow" });
    await drainJobs();
    const first = await callerAs(reviewer).promotion.status({ projectId, versionId: v1.id });
    expect(first.gate, JSON.stringify(first.blockers)).toMatchObject({ status: "DONE", passed: true, intact: true, championVersionId: null });
    expect(first).toMatchObject({ required: 1, minRole: "ADMIN", blockers: ["Needs 1 approval from ADMIN or higher; has 0"] });

    // The owner registered the versions and started their runs: separation of duties.
    await expect(s.caller.promotion.approve({ projectId, versionId: v1.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await callerAs(reviewer).promotion.approve({ projectId, versionId: v1.id, comment: "first champion" });
    expect(await s.caller.promotion.promote({ projectId, modelId, versionId: v1.id })).toMatchObject({ kind: "promote", fromVersionId: null, toVersionNumber: 1 });

    const v2 = (await s.caller.model.register({ projectId, modelName: "eta", runId: runs.strong })).version;
    await drainJobs();
    const gated = await callerAs(reviewer).promotion.status({ projectId, versionId: v2.id });
    expect(gated.gate, JSON.stringify(gated.blockers)).toMatchObject({ status: "DONE", passed: true, intact: true, championVersionId: v1.id });
    const report = await db().gateReport.findUniqueOrThrow({ where: { id: gated.gate!.reportId } });
    const approval = await callerAs(reviewer).promotion.approve({ projectId, versionId: v2.id, comment: "CI is better" });
    expect(await db().modelApproval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({ reportSha256: report.sha256, gateReportId: report.id });
    const promoted = await s.caller.promotion.promote({ projectId, modelId, versionId: v2.id });
    expect(promoted).toMatchObject({ kind: "promote", fromVersionId: v1.id, toVersionId: v2.id, gateReportId: report.id });

    await expect(s.caller.promotion.rollback({ projectId, modelId, reason: "latency" })).resolves.toMatchObject({ kind: "rollback", toVersionId: v1.id });
    const history = await db().modelAliasEvent.findMany({ where: { modelId, alias: "champion" }, orderBy: { createdAt: "asc" } });
    expect(history.map((e) => e.kind)).toEqual(["promote", "promote", "rollback"]);
  }, 240_000);
});
