/**
 * The pipelines domain reacts to the domain work its steps wait for: when a training run, evaluation,
 * gate report or approval a RUNNING step is waiting on changes, that run is advanced (in the delivery's
 * transaction). The delayed recheck job stays as the safety net behind these.
 */
import type { Tx } from "../db";
import { defineConsumer, evaluationReportDone, gateReportCompleted, modelVersionApproved, runTrainingFinished } from "../events/definitions";
import { kickRun } from "./engine";

async function kickWaiting(tx: Tx, key: "runId" | "evaluationId" | "gateReportId" | "modelVersionId", value: string, kind: string): Promise<void> {
  const steps = await tx.pipelineStepRun.findMany({ where: { status: "RUNNING", kind, outputs: { path: [key], equals: value } }, select: { pipelineRunId: true } });
  for (const runId of new Set(steps.map((s) => s.pipelineRunId))) await kickRun(runId, tx);
}

export const PIPELINE_CONSUMERS = [
  defineConsumer(runTrainingFinished, "pipelines.train-step", (tx, p) => kickWaiting(tx, "runId", p.runId, "train")),
  defineConsumer(evaluationReportDone, "pipelines.evaluate-step", (tx, p) => kickWaiting(tx, "evaluationId", p.reportId, "evaluate")),
  defineConsumer(gateReportCompleted, "pipelines.gate-step", (tx, p) => kickWaiting(tx, "gateReportId", p.reportId, "gate")),
  defineConsumer(modelVersionApproved, "pipelines.gate-approval", (tx, p) => kickWaiting(tx, "modelVersionId", p.versionId, "gate")),
];
