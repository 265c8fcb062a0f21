import { recordAudit, SYSTEM_ACTOR } from "../audit/audit";
import { defineConsumer, runTrainingFinished } from "../events/definitions";
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
];
