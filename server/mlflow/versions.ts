/**
 * Model versions created through MLflow: `source` names an ONNX file among a run's artifacts, which
 * the registry's own path registers (checked in ONNX Runtime, lineage to the run, audit, gates).
 */
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { lockModel } from "../registry/aliases";
import { getModelByName } from "../registry/lookup";
import type { ModelTask } from "../registry/names";
import { recordVersion } from "../registry/record";
import { creatorOf, MODEL_ARTIFACT, prepareFromRun } from "../registry/register";
import { parseArtifactLocation } from "./artifacts";

/** The tag that gives a model's task when MLflow creates it; without it the first version's file decides. */
export const TASK_TAG = "cairn.task";

/**
 * The run and file a model version's `source` names: `runs:/<run>/<path>`, the artifact proxy's
 * `mlflow-artifacts:/<experiment>/<run>/artifacts/<path>` (also as an http(s) URL of this server).
 * A folder (MLflow's `model/` of a logged model) means the `model.onnx` inside it.
 */
export function sourceToArtifact(source: string): { runId: string; path: string } {
  let runId: string;
  let path: string;
  const runs = /^runs:\/+([^/]+)\/?(.*)$/.exec(source);
  const proxied = /^(?:mlflow-artifacts:(?:\/\/[^/]*)?\/|https?:\/\/[^/]+\/api\/2\.0\/mlflow-artifacts\/artifacts\/)(.*)$/.exec(source);
  if (runs) {
    runId = runs[1]!;
    path = runs[2]!.replace(/\/+$/, "");
  } else if (proxied) {
    const loc = parseArtifactLocation(proxied[1]!, { decode: source.startsWith("http") });
    runId = loc.runId;
    path = loc.path;
  } else {
    throw new AppError("BAD_REQUEST", `source "${source}" is not a run's artifact (runs:/<run_id>/<path> or mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path>); Cairn registers ONNX files logged to a run`);
  }
  if (!/^[A-Za-z0-9]{1,64}$/.test(runId)) throw new AppError("BAD_REQUEST", `source "${source}" names no run id`);
  return { runId, path: path === "" ? MODEL_ARTIFACT : path.endsWith(".onnx") ? path : `${path}/${MODEL_ARTIFACT}` };
}

/**
 * A model made through MLflow without the cairn.task tag was created as regression; while it has no
 * version and no gate policy nothing depends on that guess, so its first version's file sets it.
 */
async function adoptFirstTask(tx: Tx, args: { projectId: string; orgId: string; actor: Actor; modelId: string; task: ModelTask }) {
  const model = await lockModel(tx, args.projectId, args.modelId);
  const row = await tx.registeredModel.findUniqueOrThrow({ where: { id: model.id }, select: { task: true, _count: { select: { versions: true, policies: true } } } });
  if (row.task === args.task || row._count.versions > 0 || row._count.policies > 0) return;
  await tx.registeredModel.update({ where: { id: model.id }, data: { task: args.task } });
  await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "model.update", target: { type: "model", id: model.id, label: model.name }, before: { task: row.task }, after: { task: args.task } });
}

export async function registerFromSource(args: { projectId: string; orgId: string; actor: Actor; name: string; source: string; runId?: string; description?: string }) {
  const located = sourceToArtifact(args.source);
  if (args.runId && args.runId !== located.runId) throw new AppError("BAD_REQUEST", `run_id ${args.runId} is not the run of source ${args.source}`);
  // MLflow answers RESOURCE_DOES_NOT_EXIST for a version of a model nobody created.
  const model = await getModelByName(args.projectId, args.name);
  const content = await prepareFromRun(args.projectId, located.runId, located.path);
  const who = { projectId: args.projectId, orgId: args.orgId, actor: args.actor, createdById: creatorOf(args.actor) };
  return db().$transaction(
    async (tx) => {
      await adoptFirstTask(tx, { ...args, modelId: model.id, task: content.facts.task });
      return recordVersion(tx, who, model.name, { ...content, description: args.description ?? "" }, { createModel: false });
    },
    { timeout: 30_000 },
  );
}
