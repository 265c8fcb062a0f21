/**
 * deploy: serves the gated version under `with.deployment`: creates the deployment (in `with.environment`)
 * when missing, otherwise starts it as the candidate with the step's strategy. Done once the change is
 * applied; a canary is then walked (and rolled back on bad health) by the rollout jobs, not by the pipeline.
 */
import { db } from "../../db";
import { createDeployment } from "../../deployments/deployments";
import { replaceVersion, setCandidate } from "../../deployments/changes";
import { ZRolloutConfig } from "../../deployments/schemas";
import { substituteParams, upstream } from "./inputs";
import type { StepExecutor } from "./types";
import type { PipelineStep } from "../spec";

type DeployWith = Extract<PipelineStep, { uses: "deploy" }>["with"];

export const deploy: StepExecutor = {
  cacheable: false,
  async prepare(ctx) {
    if (ctx.step.uses !== "deploy") throw new Error("not a deploy step");
    const inputs = { modelId: upstream(ctx, "modelId", "a model"), modelVersionId: upstream(ctx, "modelVersionId", "a gated model version") };
    return { inputs, with: substituteParams(ctx.step.with, ctx.run.params), code: null };
  },
  async start(ctx, prepared) {
    const w = prepared.with as DeployWith;
    const versionId = String(prepared.inputs.modelVersionId);
    const base = { orgId: ctx.run.orgId, projectId: ctx.run.projectId, actor: ctx.actor, reason: `pipeline ${ctx.run.pipelineName} #${ctx.run.number}` };
    const existing = await db().deployment.findFirst({ where: { projectId: ctx.run.projectId, name: w.deployment }, select: { id: true, name: true, stableVersionId: true, candidateVersionId: true, strategy: true } });
    if (!existing) {
      const environment = w.environment ?? "staging";
      const created = await createDeployment({ ...base, environment, name: w.deployment, modelId: String(prepared.inputs.modelId), versionId });
      return { state: "succeeded", outputs: { deploymentId: created.id, deploymentName: created.name, modelVersionId: versionId }, log: `created deployment ${created.name} in ${environment}` };
    }
    // Deploying what is already there changes nothing (a re-run, a redelivered job): a running canary is not restarted.
    const same = { deploymentId: existing.id, deploymentName: existing.name, modelVersionId: versionId };
    if (existing.stableVersionId === versionId) return { state: "succeeded", outputs: same, log: `${existing.name} already serves this version` };
    if (existing.candidateVersionId === versionId && existing.strategy === w.strategy) return { state: "succeeded", outputs: same, log: `${existing.name} already rolls this version out (${w.strategy})` };
    const args = { ...base, deploymentId: existing.id, versionId };
    const d =
      w.strategy === "direct"
        ? await replaceVersion(args)
        : await setCandidate({
            ...args,
            strategy: w.strategy,
            candidatePercent: w.candidatePercent ?? (w.strategy === "ab" ? 50 : 0),
            rollout: w.strategy === "canary" ? ZRolloutConfig.parse({ steps: w.steps, bakeSeconds: w.bakeSeconds }) : undefined,
          });
    return { state: "succeeded", outputs: { deploymentId: d.id, deploymentName: d.name, modelVersionId: versionId }, log: `${w.strategy} rollout of ${d.name} started` };
  },
  async check(ctx) {
    const outputs = ctx.row.outputs;
    return outputs?.deploymentId ? { state: "succeeded", outputs } : { state: "failed", message: "the deployment change was interrupted; retry the step" };
  },
};
