/** evaluate: scores the trained run's model on a split of the version it was trained on (requestEvaluation). */
import { db } from "../../db";
import { AppError } from "../../errors";
import { requestEvaluation } from "../../evaluation/reports";
import { trainingSpecOf } from "../../registry/evidence";
import { substituteParams, upstream } from "./inputs";
import type { StepExecutor } from "./types";

export const evaluate: StepExecutor = {
  cacheable: true,
  async prepare(ctx) {
    if (ctx.step.uses !== "evaluate") throw new Error("not an evaluate step");
    const runId = upstream(ctx, "runId", "a trained run");
    const run = await db().run.findFirst({ where: { id: runId, projectId: ctx.run.projectId }, select: { spec: true, number: true } });
    const versionId = run ? trainingSpecOf(run.spec)?.datasetVersionId : undefined;
    if (!versionId) throw new AppError("PRECONDITION_FAILED", `Run ${runId} records no dataset version to evaluate on`);
    return { inputs: { runId, datasetVersionId: versionId }, with: substituteParams(ctx.step.with, ctx.run.params), code: null };
  },
  async start(ctx, prepared) {
    const { split } = prepared.with as { split: string };
    const report = await requestEvaluation({
      projectId: ctx.run.projectId,
      orgId: ctx.run.orgId,
      actor: ctx.actor,
      runId: String(prepared.inputs.runId),
      versionId: String(prepared.inputs.datasetVersionId),
      split,
      threshold: 0.5,
    });
    return { state: "running", outputs: { runId: String(prepared.inputs.runId), evaluationId: report.id }, log: `evaluation on the ${split} split queued`, recheckSeconds: 30 };
  },
  async check(ctx) {
    const id = ctx.row.outputs?.evaluationId;
    const report = id ? await db().evaluationReport.findFirst({ where: { id, projectId: ctx.run.projectId }, select: { id: true, runId: true, status: true, error: true, split: true } }) : null;
    if (!report) return { state: "failed", message: "the evaluation report no longer exists" };
    const outputs = { runId: report.runId, evaluationId: report.id };
    if (report.status === "DONE") return { state: "succeeded", outputs, log: `evaluation on the ${report.split} split done` };
    if (report.status === "FAILED") return { state: "failed", outputs, message: `evaluation failed: ${report.error ?? "see the report"}` };
    return { state: "running", outputs, recheckSeconds: 30 };
  },
};
