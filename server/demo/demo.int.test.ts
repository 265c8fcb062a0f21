/**
 * The demo seed and its plan, end to end through the worker's own handlers: the seed returns with
 * nothing trained; the jobs then train the baseline, register, gate and promote it (owner override),
 * train the challenger as the data scientist, register and gate it against the champion — a report
 * that passed and waits for the owner's approval. A second seed changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO, seedDemo } from "../../scripts/seed";
import { db } from "../db";
import { drainJobs } from "../testing/drain-jobs";
import { promotionStatus } from "../promotion/status";
import { savePolicy } from "../gates/policies";
import { createModel, updateModel } from "../registry/models";
import { DEMO_CANARY_REASON, DEMO_CANARY_ROLLOUT, DEMO_DEPLOY_REASON, DEMO_DEPLOYMENT, DEMO_MODEL, DEMO_PLAN_ACTION, DEMO_POLICY_YAML, FIRST_CHAMPION_REASON } from "./plan";

const PASSWORD = "demo-password-for-tests";

async function demoModel() {
  const project = await db().project.findFirstOrThrow({ where: { slug: DEMO.projectSlug, org: { slug: DEMO.orgSlug } } });
  const model = await db().registeredModel.findUniqueOrThrow({
    where: { projectId_name: { projectId: project.id, name: DEMO_MODEL } },
    include: { versions: { orderBy: { number: "asc" }, include: { run: true, gateReports: { orderBy: { createdAt: "asc" } } } }, aliases: true, history: { orderBy: { createdAt: "asc" } } },
  });
  return { project, model };
}

describe("demo seed", () => {
  beforeAll(async () => {
    expect(await seedDemo(PASSWORD)).toEqual({ created: true });
    // A model the plan does not name, registering the same runs under the same policy: the demo's steps must leave it alone.
    const { project, model } = await demoModel();
    const owner = await db().user.findUniqueOrThrow({ where: { email: DEMO.email } });
    const base = { projectId: project.id, orgId: project.orgId, actor: { type: "user" as const, id: owner.id, label: owner.email } };
    const copy = await createModel({ ...base, name: "eta-copy", task: "regression", description: "" });
    await updateModel({ ...base, modelId: copy.id, autoRegisterExperimentId: model.autoRegisterExperimentId });
    await savePolicy({ ...base, modelId: copy.id, yaml: DEMO_POLICY_YAML });
  }, 120_000);

  it("leaves the training to the worker: the model, its policy and the plan exist, no version yet", async () => {
    const { project, model } = await demoModel();
    expect(model).toMatchObject({ task: "regression", versions: [], aliases: [] });
    const experiment = await db().experiment.findUniqueOrThrow({ where: { id: model.autoRegisterExperimentId! } });
    expect(experiment.name).toBe("ETA model");
    expect(await db().gatePolicyRevision.count({ where: { modelId: model.id } })).toBe(1);
    expect(await db().run.findMany({ where: { projectId: project.id }, select: { name: true, status: true } })).toEqual([{ name: "gbdt-baseline", status: "QUEUED" }]);
    expect(await db().auditEvent.count({ where: { projectId: project.id, action: DEMO_PLAN_ACTION, targetId: model.id } })).toBe(1);
    const scientist = await db().user.findUniqueOrThrow({ where: { email: DEMO.scientistEmail }, include: { memberships: true } });
    expect(scientist.memberships).toEqual([expect.objectContaining({ orgId: project.orgId, role: "MEMBER" })]);
  });

  it("the worker makes the baseline champion and gates a better challenger against it, awaiting approval", async () => {
    await drainJobs(500);
    const { project, model } = await demoModel();
    const [v1, v2] = model.versions;
    expect(model.versions).toHaveLength(2);
    expect(v1!.run).toMatchObject({ name: "gbdt-baseline", createdBy: DEMO.email });
    expect(v2!.run).toMatchObject({ name: "gbdt-tuned", createdBy: DEMO.scientistEmail, status: "FINISHED" });

    // The first champion came by the owner's override with the plan's reason, after its own gate passed.
    const owner = await db().user.findUniqueOrThrow({ where: { email: DEMO.email } });
    expect(model.history.filter((e) => e.alias === "champion")).toEqual([expect.objectContaining({ kind: "override", toVersionId: v1!.id, reason: FIRST_CHAMPION_REASON, actorId: owner.id })]);
    expect(v1!.gateReports.map((r) => [r.status, r.passed, r.championVersionId])).toEqual([["DONE", true, null]]);
    expect(Object.fromEntries(model.aliases.map((a) => [a.name, a.versionId]))).toEqual({ champion: v1!.id, challenger: v2!.id });

    // The challenger was gated against the champion and is significantly better on RMSE.
    expect(v2!.gateReports).toHaveLength(1);
    const report = v2!.gateReports[0]!;
    expect(report).toMatchObject({ status: "DONE", passed: true, championVersionId: v1!.id });
    const json = report.report as { checks: { name: string; status: string; evidence: { metrics?: { metric: string; upper: number; significant: boolean }[] } | null }[] };
    const champion = json.checks.find((c) => c.name === "champion")!;
    expect(champion.status).toBe("pass");
    expect(champion.evidence!.metrics![0]).toMatchObject({ metric: "rmse", significant: true });
    expect(champion.evidence!.metrics![0]!.upper).toBeLessThan(-0.25);

    // Waiting for one ADMIN approval, which the owner may give (Dana trained it).
    const status = await promotionStatus({ projectId: project.id, orgId: project.orgId, versionId: v2!.id });
    expect(status).toMatchObject({ canPromote: false, approvals: [] });
    expect(status.blockers).toEqual(["Needs 1 approval from ADMIN or higher; has 0"]);

    // The other model got the baseline registered and gated, and nothing more: no override, no alias, no second run for it.
    const copy = await db().registeredModel.findUniqueOrThrow({ where: { projectId_name: { projectId: project.id, name: "eta-copy" } }, include: { versions: { include: { gateReports: true } }, aliases: true, history: true } });
    expect(copy.versions.map((v) => v.runId).sort()).toEqual([v1!.runId, v2!.runId].sort());
    expect(copy.versions.every((v) => v.gateReports.length > 0)).toBe(true);
    expect(copy.aliases).toEqual([]);
    expect(copy.history).toEqual([]);

    // Serving: the champion answers as `eta` in production, and the owner started a canary of the challenger.
    const deployment = await db().deployment.findUniqueOrThrow({ where: { projectId_name: { projectId: project.id, name: DEMO_DEPLOYMENT } }, include: { environment: true } });
    expect(deployment).toMatchObject({ modelId: model.id, strategy: "canary", status: "rolling_out", stableVersionId: v1!.id, candidateVersionId: v2!.id, candidatePercent: DEMO_CANARY_ROLLOUT.steps[0] });
    expect(deployment.environment).toMatchObject({ name: "production", requires: "gate_passed" });
    const ledger = await db().deploymentLedgerEntry.findMany({ where: { deploymentId: deployment.id }, orderBy: { seq: "asc" } });
    expect(ledger.map((e) => [e.kind, e.actor, e.reason])).toEqual([
      ["create", `user:${owner.id}`, DEMO_DEPLOY_REASON],
      ["candidate", `user:${owner.id}`, DEMO_CANARY_REASON],
    ]);
    // Nothing of the kind for the model the plan does not name.
    expect(await db().deployment.count({ where: { modelId: copy.id } })).toBe(0);
  }, 300_000);

  it("a second start seeds nothing again", async () => {
    const before = await demoModel();
    const runs = await db().run.count();
    expect(await seedDemo(PASSWORD)).toEqual({ created: false });
    expect(await drainJobs()).toEqual([]);
    const after = await demoModel();
    expect(await db().run.count()).toBe(runs);
    expect(after.model.versions.map((v) => v.id)).toEqual(before.model.versions.map((v) => v.id));
    expect(await db().deploymentLedgerEntry.count()).toBe(2);
    expect(await db().registeredModel.count()).toBe(2);
    expect(await db().user.count()).toBe(2);
  });
});
