/**
 * deploy: serves the gated version under `with.deployment`: creates the deployment (in `with.environment`)
 * when missing, otherwise starts it as the candidate with the step's strategy. Done once the change is
 * applied; a canary is then walked (and rolled back on bad health) by the rollout jobs, not by the pipeline.
 */
import { db } from "../../db";
import { createDeployment } from "../../deployments/deployments";
import { replaceVersion, setCandidate } from "../../deployments/changes";
import { ZRolloutConfig, type ProvenanceInput } from "../../deployments/schemas";
import { substituteParams, upstream } from "./inputs";
import type { StepContext, StepExecutor } from "./types";
import type { PipelineStep } from "../spec";

type DeployWith = Extract<PipelineStep, { uses: "deploy" }>["with"];

/**
 * What the ledger entry keeps of how the version got here: this run and its trigger (for a monitor's
 * alert, the incident, looked up in the run's project), the version, and the gate report this run's gate step judged it by.
 */
async function provenance(ctx: StepContext, versionId: string): Promise<ProvenanceInput> {
  const [run, version] = await Promise.all([
    db().pipelineRun.findUniqueOrThrow({ where: { id: ctx.run.id }, select: { trigger: true } }),
    db().modelVersion.findFirstOrThrow({ where: { id: versionId, projectId: ctx.run.projectId }, select: { number: true, model: { select: { name: true } } } }),
  ]);
  const info = ctx.run.triggerInfo;
  const incidentId = run.trigger === "monitor" && typeof info.alertId === "string" ? info.alertId : null;
  const incident = incidentId ? await db().alertIncident.findFirst({ where: { id: incidentId, projectId: ctx.run.projectId }, select: { id: true, title: true } }) : null;
  const gate = ctx.earlier.findLast((e) => e.kind === "gate" && e.outputs.modelVersionId === versionId && e.outputs.gateReportId)?.outputs;
  return {
    pipelineRun: { id: ctx.run.id, pipeline: ctx.run.pipelineName, number: ctx.run.number, trigger: run.trigger, triggerInfo: info },
    incident: incidentId ? { id: incidentId, monitor: typeof info.monitor === "string" ? info.monitor : "", title: incident?.title ?? null } : null,
    modelVersion: { id: versionId, model: version.model.name, number: version.number },
    gate: gate?.gateReportId ? { reportId: gate.gateReportId, passed: gate.passed ?? null } : null,
  };
}

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
    const base = { orgId: ctx.run.orgId, projectId: ctx.run.projectId, actor: ctx.actor, reason: `pipeline ${ctx.run.pipelineName} #${ctx.run.number}`, provenance: await provenance(ctx, versionId) };
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
