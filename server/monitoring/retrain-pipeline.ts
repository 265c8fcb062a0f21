/**
 * A monitor rule's training action runs as a pipeline that Cairn writes from it: train → evaluate →
 * register (into the monitored deployment's model) → gate → deploy (to the monitored deployment, only
 * if the gate passed). The generated cairn.yaml goes through the same parser and checks as any other
 * and is saved with the rule (same transaction), so the Pipelines tab, the run page, its DAG, gate
 * report and canary links are the pipeline engine's own; there is no second retraining chain.
 */
import { stringify } from "yaml";
import type { Actor } from "../audit/audit";
import { db, type Tx } from "../db";
import { ZRolloutConfig } from "../deployments/schemas";
import { AppError } from "../errors";
import { archivePipelineIn, savePipelineIn } from "../pipelines/pipelines";
import type { PipelineRunDto } from "../pipelines/schemas";
import { monitorRun } from "../pipelines/triggers/monitor";
import { startEach } from "../pipelines/triggers/start";
import { parsePipelineYaml } from "../pipelines/yaml";
import { trainingSpecOf } from "../registry/evidence";
import { trainingProblems } from "../training/preflight";
import { ZReference, type Retrain } from "./schemas";

type MonitorRef = { projectId: string; deploymentId: string; name: string; reference: unknown };
type Training = NonNullable<Retrain["training"]>;

/** The generated pipeline's name: readable (the monitor) and owned by exactly one rule (its id). */
export function generatedPipelineName(monitor: string, ruleId: string): string {
  const readable = monitor.replace(/[^a-z0-9-]+/g, "-").slice(0, 24).replace(/-+$/, "");
  return `${readable || "monitor"}-retrain-${ruleId.toLowerCase().replace(/[^a-z0-9]/g, "")}`;
}

const bad = (field: string, message: string) => new AppError("BAD_REQUEST", `action.retrain.${field}: ${message}`);

/** The dataset the monitored model was trained on (its stable version's run), else the monitor's reference dataset. */
async function defaultDataset(tx: Tx, monitor: MonitorRef): Promise<string | null> {
  const deployment = await tx.deployment.findUniqueOrThrow({ where: { id: monitor.deploymentId }, select: { stableVersionId: true } });
  const stable = await tx.modelVersion.findUniqueOrThrow({ where: { id: deployment.stableVersionId }, select: { runId: true } });
  const run = stable.runId ? await tx.run.findFirst({ where: { id: stable.runId, projectId: monitor.projectId }, select: { spec: true } }) : null;
  const reference = ZReference.parse(monitor.reference);
  const versionId = trainingSpecOf(run?.spec)?.datasetVersionId ?? (reference.kind === "dataset" ? reference.datasetVersionId : null);
  if (!versionId) return null;
  const version = await tx.datasetVersion.findFirst({ where: { id: versionId, projectId: monitor.projectId }, select: { dataset: { select: { slug: true } } } });
  return version?.dataset.slug ?? null;
}

/** What the pipeline's train step would refuse later (trainingProblems on the dataset's newest version), refused now with the rule's field. */
async function checkTraining(tx: Tx, monitor: MonitorRef, t: Training, model: { name: string; task: string }): Promise<string> {
  const slug = t.dataset ?? (await defaultDataset(tx, monitor));
  if (!slug) throw bad("training.dataset", "the served version records no training dataset and the monitor's reference is not a dataset version; name the dataset to train on");
  const [problem] = await trainingProblems(tx, monitor.projectId, {
    data: { slug },
    target: t.target,
    features: t.features,
    exclude: t.exclude,
    trainer: t.trainer,
    params: t.params,
    command: { by: "name", ref: t.command },
    deployedModel: model,
  });
  if (problem) throw bad(`training.${problem.field}`, problem.message);
  return slug;
}

/** The generated pipeline as cairn.yaml text and its parsed spec; a problem is refused as BAD_REQUEST naming the rule's field. */
export async function retrainPipelineYaml(tx: Tx, monitor: MonitorRef, rule: { id: string; name: string }, retrain: Retrain) {
  if (!retrain.training) throw new Error("not a training action");
  const deployment = await tx.deployment.findUniqueOrThrow({ where: { id: monitor.deploymentId }, select: { name: true, modelId: true } });
  const model = await tx.registeredModel.findUniqueOrThrow({ where: { id: deployment.modelId }, select: { name: true, task: true } });
  const dataset = await checkTraining(tx, monitor, retrain.training, model);
  const name = generatedPipelineName(monitor.name, rule.id);
  const deploy = retrain.deploy === undefined ? { strategy: "canary" as const } : retrain.deploy;
  if (deploy?.strategy === "canary") {
    // The deploy step reads its canary settings through the rollout's own schema; a bake time it refuses would fail the run, not the save.
    const rollout = ZRolloutConfig.safeParse({ steps: deploy.steps, bakeSeconds: deploy.bakeSeconds });
    if (!rollout.success) throw bad(`deploy.${rollout.error.issues[0]!.path.join(".")}`, rollout.error.issues[0]!.message);
  }
  const text = stringify({
    name,
    description: `Generated by Cairn from the training action of alert rule "${rule.name}" on monitor ${monitor.name}; change the rule on the monitor page (saving the rule rewrites this file).`,
    steps: [
      { id: "train", uses: "train", with: { ...retrain.training, dataset } },
      { id: "evaluate", uses: "evaluate" },
      { id: "register", uses: "register", with: { model: model.name } },
      { id: "gate", uses: "gate" },
      ...(deploy ? [{ id: "deploy", uses: "deploy", if: "gate.passed", with: { ...deploy, deployment: deployment.name } }] : []),
    ],
  });
  const parsed = parsePipelineYaml(text);
  if (!parsed.ok) {
    // The author wrote the rule, not this YAML: name the rule's field (steps[0].with.x → training.x, steps[4].with.x → deploy.x).
    const fields = parsed.problems.map((p) => {
      const m = /^steps\[(\d+)\]\.with\.?(.*)$/.exec(p.path);
      const step = m?.[1] === "0" ? "training" : m?.[1] === "4" ? "deploy" : null;
      const field = step ? `${step}${m![2] ? `.${m![2]}` : ""}` : "";
      return `action.retrain${field ? `.${field}` : ""}: ${p.message}`;
    });
    throw new AppError("BAD_REQUEST", fields.join("; "));
  }
  return { name, yaml: text, spec: parsed.spec };
}

/**
 * Keeps the rule's generated pipeline in step with its action, in the rule's transaction: saved (a new
 * revision only when the text changed; restored if archived) for a training action, archived otherwise
 * (its runs stay). Returns the generated pipeline's name or null.
 */
export async function syncRetrainPipeline(tx: Tx, args: { monitor: MonitorRef; rule: { id: string; name: string }; retrain: Retrain | null; actor: Actor }): Promise<string | null> {
  if (args.retrain?.training) {
    const { yaml, spec } = await retrainPipelineYaml(tx, args.monitor, args.rule, args.retrain);
    return (await savePipelineIn(tx, { projectId: args.monitor.projectId, yaml, source: "api", actor: args.actor }, spec)).name;
  }
  const existing = await tx.pipeline.findFirst({ where: { projectId: args.monitor.projectId, name: generatedPipelineName(args.monitor.name, args.rule.id), archivedAt: null }, select: { id: true } });
  if (existing) await archivePipelineIn(tx, { projectId: args.monitor.projectId, pipelineId: existing.id, actor: args.actor });
  return null;
}

/** Starts the rule's generated pipeline for an alert, like any monitor-triggered run (startEach, keyed by the alert). */
export async function startRetrainPipeline(args: { projectId: string; monitor: string; ruleId: string; alertId: string }): Promise<{ run: PipelineRunDto | null; refused: string | null }> {
  const name = generatedPipelineName(args.monitor, args.ruleId);
  const pipeline = await db().pipeline.findFirst({ where: { projectId: args.projectId, name }, select: { id: true, projectId: true, name: true } });
  if (!pipeline) return { run: null, refused: `its generated pipeline ${name} no longer exists; save the rule again to recreate it` };
  const [outcome] = await startEach([pipeline], monitorRun(args));
  return { run: outcome?.run ?? null, refused: outcome?.refused?.message ?? null };
}
