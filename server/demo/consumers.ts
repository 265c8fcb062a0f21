/**
 * The demo plan's steps (see ./plan.ts), each a reaction to the product's own events. Every step
 * first finds the plan the seed recorded for the event's model; for any other model it does nothing.
 * Steps that call a service with its own transaction check first whether their work is done, so a
 * redelivered event repeats nothing.
 */
import type { Actor } from "../audit/audit";
import type { Tx } from "../db";
import { defineConsumer, gateReportCompleted, modelAliasMoved, modelVersionRegistered } from "../events/definitions";
import { CHALLENGER } from "../gates/requests";
import { overridePromote } from "../promotion/promote";
import { lockModel, moveAlias } from "../registry/aliases";
import { CHAMPION } from "../registry/names";
import { startTraining } from "../training/start";
import { demoPlanOf, FIRST_CHAMPION_REASON } from "./plan";

async function userActor(tx: Tx, where: { id: string } | { email: string }): Promise<Actor | null> {
  const user = await tx.user.findUnique({ where, select: { id: true, email: true } });
  return user ? { type: "user", id: user.id, label: user.email } : null;
}

const orgOf = async (tx: Tx, projectId: string) => (await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { orgId: true } })).orgId;

export const DEMO_CONSUMERS = [
  /* Step 2: the baseline's gate passed and the model has no champion yet: its owner overrides, with the plan's reason. */
  defineConsumer(gateReportCompleted, "demo.first-champion", async (tx, { modelId, versionId, passed }, meta) => {
    if (passed !== true) return;
    const plan = await demoPlanOf(tx, meta.projectId, modelId);
    if (!plan) return;
    const version = await tx.modelVersion.findFirst({ where: { id: versionId, modelId, projectId: meta.projectId }, select: { runId: true } });
    if (version?.runId !== plan.baselineRunId) return;
    if (await tx.modelAlias.findUnique({ where: { modelId_name: { modelId, name: CHAMPION } } })) return;
    const model = await tx.registeredModel.findUniqueOrThrow({ where: { id: modelId }, select: { ownerId: true } });
    const owner = model.ownerId ? await userActor(tx, { id: model.ownerId }) : null;
    if (!owner) return;
    await overridePromote({ projectId: meta.projectId, orgId: await orgOf(tx, meta.projectId), modelId, versionId, actor: owner, reason: FIRST_CHAMPION_REASON });
  }),

  /* Step 3: the baseline became champion: the data scientist trains the challenger. */
  defineConsumer(modelAliasMoved, "demo.challenger-run", async (tx, { modelId, alias, toVersionId }, meta) => {
    if (alias !== CHAMPION || toVersionId === null) return;
    const plan = await demoPlanOf(tx, meta.projectId, modelId);
    if (!plan) return;
    const version = await tx.modelVersion.findUnique({ where: { id: toVersionId }, select: { runId: true } });
    if (version?.runId !== plan.baselineRunId) return;
    const scientist = await userActor(tx, { email: plan.scientistEmail });
    if (!scientist) return;
    const started = await tx.run.findFirst({ where: { projectId: meta.projectId, name: plan.challenger.name, createdBy: scientist.label }, select: { id: true } });
    if (started) return;
    await startTraining({ ...plan.challenger, projectId: meta.projectId, orgId: await orgOf(tx, meta.projectId), actor: scientist });
  }),

  /* Step 4: the challenger run's version is registered: its author points the `challenger` alias at it. */
  defineConsumer(modelVersionRegistered, "demo.challenger-alias", async (tx, { modelId, versionId }, meta) => {
    const plan = await demoPlanOf(tx, meta.projectId, modelId);
    if (!plan) return;
    const version = await tx.modelVersion.findFirst({ where: { id: versionId, modelId, projectId: meta.projectId }, select: { id: true, number: true, run: { select: { name: true, createdBy: true } } } });
    if (!version?.run || version.run.name !== plan.challenger.name || version.run.createdBy !== plan.scientistEmail) return;
    const scientist = await userActor(tx, { email: plan.scientistEmail });
    if (!scientist) return;
    const model = await lockModel(tx, meta.projectId, modelId);
    await moveAlias(tx, { projectId: meta.projectId, orgId: await orgOf(tx, meta.projectId), actor: scientist, model, alias: CHALLENGER, to: { id: version.id, number: version.number }, kind: "set" });
  }),
];
