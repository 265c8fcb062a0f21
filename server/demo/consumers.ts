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
import { setCandidate } from "../deployments/changes";
import { createDeployment } from "../deployments/deployments";
import { ZRolloutConfig } from "../deployments/schemas";
import { DEMO_CANARY_REASON, DEMO_CANARY_ROLLOUT, DEMO_DEPLOY_REASON, DEMO_DEPLOYMENT, DEMO_ENVIRONMENT, demoPlanOf, FIRST_CHAMPION_REASON, type DemoPlan } from "./plan";

async function userActor(tx: Tx, where: { id: string } | { email: string }): Promise<Actor | null> {
  const user = await tx.user.findUnique({ where, select: { id: true, email: true } });
  return user ? { type: "user", id: user.id, label: user.email } : null;
}

async function ownerOf(tx: Tx, modelId: string): Promise<Actor | null> {
  const model = await tx.registeredModel.findUniqueOrThrow({ where: { id: modelId }, select: { ownerId: true } });
  return model.ownerId ? userActor(tx, { id: model.ownerId }) : null;
}

/** The demo's deployment `eta` in production, created from the champion by the owner when missing. */
async function demoDeployment(tx: Tx, projectId: string, modelId: string, owner: Actor) {
  const existing = await tx.deployment.findUnique({ where: { projectId_name: { projectId, name: DEMO_DEPLOYMENT } } });
  if (existing) return existing;
  const created = await createDeployment({ orgId: await orgOf(tx, projectId), projectId, environment: DEMO_ENVIRONMENT, name: DEMO_DEPLOYMENT, modelId, actor: owner, reason: DEMO_DEPLOY_REASON });
  return { ...created, rollout: null };
}

/** Whether the version is the plan's challenger: the run the plan names, started by the plan's scientist. */
async function isChallenger(tx: Tx, plan: DemoPlan, projectId: string, modelId: string, versionId: string) {
  const version = await tx.modelVersion.findFirst({ where: { id: versionId, modelId, projectId }, select: { run: { select: { name: true, createdBy: true } } } });
  const run = version?.run;
  return run !== null && run !== undefined && run.name === plan.challenger.name && run.createdBy === plan.scientistEmail;
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

  /* Step 5a: the baseline became champion: the owner serves it as `eta` in production. */
  defineConsumer(modelAliasMoved, "demo.deploy-champion", async (tx, { modelId, alias, toVersionId }, meta) => {
    if (alias !== CHAMPION || toVersionId === null) return;
    const plan = await demoPlanOf(tx, meta.projectId, modelId);
    if (!plan) return;
    const version = await tx.modelVersion.findUnique({ where: { id: toVersionId }, select: { runId: true } });
    if (version?.runId !== plan.baselineRunId) return;
    const owner = await ownerOf(tx, modelId);
    if (owner) await demoDeployment(tx, meta.projectId, modelId, owner);
  }),

  /* Step 5b: the challenger's gate passed: the owner starts a canary of it on `eta`, once (an aborted canary is not restarted). */
  defineConsumer(gateReportCompleted, "demo.challenger-canary", async (tx, { modelId, versionId, passed }, meta) => {
    if (passed !== true) return;
    const plan = await demoPlanOf(tx, meta.projectId, modelId);
    if (!plan || !(await isChallenger(tx, plan, meta.projectId, modelId, versionId))) return;
    const owner = await ownerOf(tx, modelId);
    if (!owner) return;
    const deployment = await demoDeployment(tx, meta.projectId, modelId, owner);
    if (deployment.modelId !== modelId || deployment.stableVersionId === versionId || deployment.candidateVersionId !== null) return;
    const before = await tx.deploymentLedgerEntry.findFirst({ where: { deploymentId: deployment.id, kind: "candidate", toSplit: { path: ["candidateVersionId"], equals: versionId } }, select: { id: true } });
    if (before) return;
    await setCandidate({
      orgId: await orgOf(tx, meta.projectId),
      projectId: meta.projectId,
      deploymentId: deployment.id,
      versionId,
      strategy: "canary",
      candidatePercent: DEMO_CANARY_ROLLOUT.steps[0]!,
      rollout: ZRolloutConfig.parse(DEMO_CANARY_ROLLOUT),
      actor: owner,
      reason: DEMO_CANARY_REASON,
    });
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
