/**
 * The REST face of deployments (/api/v1/projects/{project}/deployments…): bodies name models and
 * versions as people do (model name, version number) and are then checked by the same input
 * schemas as tRPC, so a rule lives in one place and REST and tRPC refuse the same things.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { getModelVersionByNumber, modelFromPath, ZVersionNumber } from "../registry/lookup";
import { abortRollout, pauseDeployment, promoteCandidate, replaceVersion, resumeDeployment, rollbackDeployment, setCandidate, switchBlueGreen } from "./changes";
import { createDeployment, getDeployment } from "./deployments";
import { inferUrl } from "./endpoint";
import { advanceRollout } from "./rollout";
import { ZAdvanceInput, ZCreateDeploymentInput, ZDeploymentActionInput, ZReplaceInput, ZSetCandidateInput, type DeploymentDto } from "./schemas";
import type { Actor } from "../audit/audit";

type Body = Record<string, unknown>;
export const ZRestBody = z.record(z.string(), z.unknown());

/** A deployment as REST answers it: the DTO plus the URL callers send requests to. */
export const withEndpoint = (d: DeploymentDto) => ({ ...d, endpoint: inferUrl(d.name) });

/** `version` (a number) becomes `versionId`; giving both is a mistake the caller should hear about. */
async function versionIdOf(projectId: string, modelId: string, body: Body): Promise<Body> {
  const { version, ...rest } = body;
  if (version === undefined) return rest;
  if (rest.versionId !== undefined) throw new AppError("BAD_REQUEST", "Give version (its number) or versionId, not both");
  const number = ZVersionNumber.safeParse(version);
  if (!number.success) throw new AppError("BAD_REQUEST", "version: must be a version number (1, 2, …)");
  return { ...rest, versionId: (await getModelVersionByNumber(projectId, modelId, number.data)).id };
}

interface Ctx {
  orgId: string;
  projectId: string;
  actor: Actor;
}

/** POST …/deployments {name, environment, model, version?|alias?, reason?}. */
export async function createFromRest(ctx: Ctx, body: Body): Promise<DeploymentDto> {
  const { model: modelName, ...rest } = body;
  if (typeof modelName !== "string") throw new AppError("BAD_REQUEST", "model: the registered model's name is required");
  const model = await modelFromPath(ctx.projectId, modelName);
  const input = ZCreateDeploymentInput.parse({ ...(await versionIdOf(ctx.projectId, model.id, rest)), projectId: ctx.projectId, modelId: model.id });
  return createDeployment({ ...input, orgId: ctx.orgId, projectId: ctx.projectId, actor: ctx.actor });
}

/** The changes POST …/deployments/{name}/{action} accepts, each parsed with its tRPC input schema. */
const ACTIONS = {
  replace: { schema: ZReplaceInput, run: replaceVersion },
  candidate: { schema: ZSetCandidateInput, run: setCandidate },
  switch: { schema: ZDeploymentActionInput, run: switchBlueGreen },
  pause: { schema: ZDeploymentActionInput, run: pauseDeployment },
  resume: { schema: ZDeploymentActionInput, run: resumeDeployment },
  abort: { schema: ZDeploymentActionInput, run: abortRollout },
  promote: { schema: ZDeploymentActionInput, run: promoteCandidate },
  rollback: { schema: ZDeploymentActionInput, run: rollbackDeployment },
  advance: { schema: ZAdvanceInput, run: advanceRollout },
} as const;
export type RestAction = keyof typeof ACTIONS;
export const REST_ACTIONS = Object.keys(ACTIONS) as RestAction[];

export async function changeFromRest(ctx: Ctx & { deploymentId: string }, action: string, body: Body): Promise<DeploymentDto> {
  if (!(action in ACTIONS)) throw new AppError("NOT_FOUND", `Unknown deployment action "${action}"; use one of ${REST_ACTIONS.join(", ")}`);
  const { schema, run } = ACTIONS[action as RestAction];
  const current = await getDeployment({ projectId: ctx.projectId, deploymentId: ctx.deploymentId });
  const input = schema.parse({ ...(await versionIdOf(ctx.projectId, current.modelId, body)), projectId: ctx.projectId, deploymentId: ctx.deploymentId });
  // Each schema's output is the matching service's input; the record above pairs them.
  return (run as (args: unknown) => Promise<DeploymentDto>)({ ...input, orgId: ctx.orgId, projectId: ctx.projectId, actor: ctx.actor });
}
