import { recordAudit, SYSTEM_ACTOR } from "../audit/audit";
import { defineConsumer, evaluationReportDone, runTrainingFinished } from "../events/definitions";
import { metricsSnapshot, trainingSpecOf } from "./evidence";
import { prepareFromRun, registerPreparedInTx } from "./register";

/**
 * A training run that finishes with a model is registered into every model whose setting names the
 * run's experiment. Registration is idempotent by content, so a redelivered event adds nothing.
 */
export const REGISTRY_CONSUMERS = [
  defineConsumer(runTrainingFinished, "registry.auto-register", async (tx, { runId }, meta) => {
    const run = await tx.run.findFirst({ where: { id: runId, projectId: meta.projectId }, select: { experimentId: true, number: true } });
    if (!run) return;
    const models = await tx.registeredModel.findMany({ where: { projectId: meta.projectId, autoRegisterExperimentId: run.experimentId, archivedAt: null }, orderBy: { name: "asc" } });
    if (models.length === 0) return;
    const { orgId } = await tx.project.findUniqueOrThrow({ where: { id: meta.projectId }, select: { orgId: true } });
    const content = await prepareFromRun(meta.projectId, runId);
    for (const model of models) {
      const base = { orgId, projectId: meta.projectId, actor: SYSTEM_ACTOR };
      if (model.task !== content.facts.task) {
        // A run of another task cannot become a version of this model; the audit log says why it was skipped.
        await recordAudit(tx, { ...base, action: "model.version.auto-register-skipped", target: { type: "model", id: model.id, label: model.name }, after: { runId, reason: `run #${run.number} made a ${content.facts.task} model; ${model.name} is ${model.task}` } });
        continue;
      }
      await registerPreparedInTx(tx, { ...base, modelName: model.name, content });
    }
  }),
  /*
   * A version registered before its run's evaluation finished (automatic registration runs as training
   * ends, the evaluation after) gets its metrics snapshot when that report is DONE: filled once, never
   * overwritten, so the snapshot stays the evidence it was.
   */
  defineConsumer(evaluationReportDone, "registry.metrics-snapshot", async (tx, { runId, versionId, split }, meta) => {
    if (split !== "test") return;
    const run = await tx.run.findFirst({ where: { id: runId, projectId: meta.projectId }, select: { spec: true } });
    const trainedOn = trainingSpecOf(run?.spec)?.datasetVersionId ?? null;
    if (trainedOn !== versionId) return;
    const waiting = (await tx.modelVersion.findMany({ where: { runId, projectId: meta.projectId }, select: { id: true, metrics: true } })).filter((v) => v.metrics === null);
    if (waiting.length === 0) return;
    const snapshot = await metricsSnapshot(runId, trainedOn);
    if (!snapshot) return;
    await tx.$executeRaw`UPDATE "ModelVersion" SET metrics = ${JSON.stringify(snapshot)}::jsonb WHERE id = ANY(${waiting.map((v) => v.id)}) AND metrics IS NULL`;
  }),
];
