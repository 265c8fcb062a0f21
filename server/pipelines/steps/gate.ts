/**
 * gate: the registered version's gate report (requestGate), then, when the policy asks for human
 * approvals, the approvals (judged by the promotion rules, so a pipeline never counts one they refuse).
 */
import { db } from "../../db";
import { requestGate } from "../../gates/requests";
import { ZGateReportJson } from "../../gates/schemas";
import { readStored } from "../../lib/stored-json";
import { assessApprovals, currentPolicy } from "../../promotion/readiness";
import { CHAMPION } from "../../registry/names";
import { upstream } from "./inputs";
import type { Outcome, StepContext, StepExecutor } from "./types";

async function verdict(ctx: StepContext, reportId: string): Promise<Outcome> {
  const report = await db().gateReport.findFirst({ where: { id: reportId, projectId: ctx.run.projectId }, include: { version: { select: { id: true, number: true, sha256: true } } } });
  if (!report) return { state: "failed", message: "the gate report no longer exists" };
  const outputs = { ...ctx.row.outputs, gateReportId: report.id, modelVersionId: report.versionId };
  if (report.status === "PENDING" || report.status === "RUNNING") return { state: "running", outputs, log: "gate report running", recheckSeconds: 120 };
  if (report.status === "FAILED") return { state: "failed", outputs: { ...outputs, passed: false }, message: `the gate could not be evaluated: ${report.error ?? "see the gate report"}` };
  if (report.passed !== true) {
    const json = report.report === null ? null : readStored(ZGateReportJson, report.report, `gate report ${report.id}`);
    const failed = (json?.checks ?? []).filter((c) => c.status !== "pass" && c.skipped === null).map((c) => `${c.name}: ${c.summary}`);
    return { state: "failed", outputs: { ...outputs, passed: false }, message: `gate failed${failed.length ? ` — ${failed.join("; ")}` : ""}` };
  }
  return db().$transaction(async (tx) => {
    const policy = await currentPolicy(tx, report.modelId);
    if (!policy || policy.rule.required === 0) return { state: "succeeded", outputs: { ...outputs, passed: true }, log: "gate passed" } as const;
    const approvals = (await assessApprovals(tx, ctx.run.orgId, { version: report.version, policy, latest: report })).filter((a) => a.valid);
    const rejected = approvals.find((a) => a.decision === "REJECT");
    if (rejected) return { state: "failed", outputs: { ...outputs, passed: false }, message: `rejected by ${rejected.user.name || rejected.user.email}${rejected.comment ? `: ${rejected.comment}` : ""}` } as const;
    const approved = approvals.filter((a) => a.decision === "APPROVE").length;
    if (approved >= policy.rule.required) return { state: "succeeded", outputs: { ...outputs, passed: true }, log: `gate passed and approved (${approved}/${policy.rule.required})` } as const;
    return { state: "running", outputs, log: `gate passed; waiting for approvals (${approved}/${policy.rule.required} from ${policy.rule.min_role} or higher)`, recheckSeconds: 600 } as const;
  });
}

export const gate: StepExecutor = {
  cacheable: true,
  async prepare(ctx) {
    const modelVersionId = upstream(ctx, "modelVersionId", "a registered model version");
    // A verdict holds for one policy revision and one champion: either changing makes an earlier pass stale.
    const version = await db().modelVersion.findFirst({ where: { id: modelVersionId, projectId: ctx.run.projectId }, select: { modelId: true } });
    const policy = version ? await db().gatePolicyRevision.findFirst({ where: { modelId: version.modelId }, orderBy: { revision: "desc" }, select: { id: true } }) : null;
    const champion = version ? await db().modelAlias.findUnique({ where: { modelId_name: { modelId: version.modelId, name: CHAMPION } }, select: { versionId: true } }) : null;
    return { inputs: { modelVersionId, policyRevisionId: policy?.id ?? null, championVersionId: champion?.versionId ?? null }, with: {}, code: null };
  },
  async start(ctx, prepared) {
    const report = await requestGate({ projectId: ctx.run.projectId, versionId: String(prepared.inputs.modelVersionId), actor: ctx.actor });
    const model = ctx.earlier.findLast((e) => e.outputs.modelVersionId === report.versionId)?.outputs;
    const base = { ...(model ? { modelId: model.modelId, modelName: model.modelName, modelVersion: model.modelVersion } : {}), gateReportId: report.id };
    return verdict({ ...ctx, row: { ...ctx.row, outputs: base } }, report.id);
  },
  async check(ctx) {
    const id = ctx.row.outputs?.gateReportId;
    return id ? verdict(ctx, id) : { state: "failed", message: "the gate request was interrupted; retry the step" };
  },
};
