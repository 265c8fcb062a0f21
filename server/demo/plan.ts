/**
 * The demo's model story, planned by the seed and carried out by the worker as runs finish, so that
 * `npm start` never waits for training:
 *
 * 1. The seed creates the model `eta-gbdt` (it registers every finished run of the experiment
 *    "ETA model" automatically), its gate policy, queues the baseline run and records this plan as
 *    the audit event `demo.plan`.
 * 2. The baseline finishes → registered as v1 → gated (there is no champion to compare with yet) →
 *    `demo.first-champion` makes it champion by an OWNER override with a reason: the policy asks for
 *    an ADMIN's approval, and the only admin is the owner, who started the run (separation of duties).
 * 3. The champion moved to v1 → `demo.challenger` starts the challenger run as the data scientist.
 * 4. The challenger finishes → v2 → gated against v1 → a completed report awaiting the owner's approval.
 * 5. Serving: the seed lets `production` admit versions whose gate passed (new projects require
 *    approvals too); the champion is served there as the deployment `eta`, and once v2's gate
 *    passes the owner starts a canary of it (10 → 50 → 100 %), which a user may advance, pause or
 *    roll back.
 *
 * Only a `demo.plan` audit event (written by the seed, never by an API) makes the consumers act, so
 * no user can have a version of theirs promoted by tagging or naming it.
 */
import { z } from "zod";
import { recordAudit, type Actor } from "../audit/audit";
import { db, type Tx } from "../db";
import { savePolicy } from "../gates/policies";
import { readStored, toJsonValue } from "../lib/stored-json";
import { listEnvironments, updateEnvironment } from "../deployments/environments";
import { createModel, updateModel } from "../registry/models";
import { ZStartTrainingInput } from "../training/schemas";

export const DEMO_MODEL = "eta-gbdt";
export const DEMO_PLAN_ACTION = "demo.plan";
/** The deployment the README's curl calls: /v2/models/eta/infer. */
export const DEMO_DEPLOYMENT = "eta";
export const DEMO_ENVIRONMENT = "production";
export const DEMO_DEPLOY_REASON = "Demo setup: the champion serves production";
export const DEMO_CANARY_REASON = "Demo setup: canary of the challenger, whose gate passed against the champion";
/** The demo canary's steps: it waits for traffic at each step (or for a user to advance it). */
export const DEMO_CANARY_ROLLOUT = { steps: [10, 50, 100], bakeSeconds: 600, health: { maxErrorRate: 0.01, maxP95Ratio: 2, minRequests: 50 } };

/** The reason recorded on the first champion's alias move (shown in the model's history). */
export const FIRST_CHAMPION_REASON =
  "Demo setup: first champion of the model, promoted by the seed on the owner's behalf. The policy needs an ADMIN's approval, and the only admin is the owner, who trained it (separation of duties).";

export const DEMO_POLICY_YAML = `# Gate policy of the demo's delivery-time model: a challenger replaces the
# champion only when it is significantly better on the same test rows, and
# an admin who did not train it has approved it.
approvals:
  required: 1
  min_role: ADMIN
checks:
  thresholds:
    - metric: rmse
      max: 6.0
  champion:
    mode: superiority
    metrics: [rmse]
    min_effect: 0.25
    confidence: 0.95
    resamples: 10000
    seed: 42
  data_validation: true
  signature:
    allow_breaking: false
`;

const ZDemoPlan = z.object({
  baselineRunId: z.string().min(1),
  /** Started as this member once the baseline is champion. */
  scientistEmail: z.string().min(1),
  challenger: ZStartTrainingInput.omit({ projectId: true }),
});
export type DemoPlan = z.infer<typeof ZDemoPlan>;

/** Records the plan beside the model it concerns; the consumers in ./consumers.ts read it back. */
export async function recordDemoPlan(args: { orgId: string; projectId: string; actor: Actor; modelId: string; plan: DemoPlan }): Promise<void> {
  const plan = ZDemoPlan.parse(args.plan);
  await db().$transaction((tx) =>
    recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: DEMO_PLAN_ACTION,
      target: { type: "model", id: args.modelId, label: DEMO_MODEL },
      after: toJsonValue(plan),
    }),
  );
}

/** The plan of a model, or null for every model the seed did not plan (all but the demo's). */
export async function demoPlanOf(tx: Tx, projectId: string, modelId: string): Promise<DemoPlan | null> {
  const project = await tx.project.findUnique({ where: { id: projectId }, select: { orgId: true } });
  if (!project) return null;
  const row = await tx.auditEvent.findFirst({
    where: { orgId: project.orgId, projectId, action: DEMO_PLAN_ACTION, targetType: "model", targetId: modelId },
    orderBy: { at: "asc" },
  });
  return row ? readStored(ZDemoPlan, row.after, "demo plan") : null;
}

/**
 * Step 1, run by the seed before it queues the baseline (so the baseline is registered when it
 * finishes): the model, auto-registering runs of `experimentId`, and its gate policy. Returns the
 * model's id, or null when the project has the model already.
 */
export async function seedDemoModel(args: { orgId: string; projectId: string; actor: Actor; experimentId: string }): Promise<string | null> {
  if (await db().registeredModel.findUnique({ where: { projectId_name: { projectId: args.projectId, name: DEMO_MODEL } } })) return null;
  const base = { orgId: args.orgId, projectId: args.projectId, actor: args.actor };
  const model = await createModel({ ...base, name: DEMO_MODEL, task: "regression", description: "Delivery time in minutes (GBDT on the Deliveries dataset). Every finished run of the experiment “ETA model” is registered automatically." });
  await updateModel({ ...base, modelId: model.id, autoRegisterExperimentId: args.experimentId });
  await savePolicy({ ...base, modelId: model.id, yaml: DEMO_POLICY_YAML, comment: "First policy: significantly better RMSE than the champion, and one admin's approval" });
  const production = (await listEnvironments({ projectId: args.projectId })).find((e) => e.name === DEMO_ENVIRONMENT);
  if (production) await updateEnvironment({ ...base, environmentId: production.id, requires: "gate_passed" });
  return model.id;
}
