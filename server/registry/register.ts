/** Registering model versions: from a finished run's model.onnx, or from an uploaded ONNX file. */
import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import type { Actor } from "../audit/audit";
import { readArtifactBytes } from "../evaluation/encoding";
import { artifactStore } from "../storage/artifact-store";
import { assertWithinQuota, UploadBudget, uploadLimits, type UploadLimits } from "../storage/quota";
import { collectUnreferenced, commitReferenced } from "../storage/references";
import { metricsSnapshot, modelFacts, runLineage, taskHintOf, trainingSpecOf } from "./evidence";
import type { ModelTask } from "./names";
import { recordVersion, type VersionContent } from "./record";
import { versionDto } from "./read";
import type { RegisterResultDto } from "./schemas";

/** The file a run's model is stored under. */
export const MODEL_ARTIFACT = "model.onnx";

/**
 * An uploaded model is loaded whole into ONNX Runtime to be checked, so it is held in memory: the
 * smaller of the installation's upload limit and this.
 */
export const MAX_MODEL_UPLOAD_BYTES = 512 * 1024 * 1024;

interface Base {
  projectId: string;
  orgId: string;
  actor: Actor;
  modelName: string;
  description?: string;
}

/** Who a version is by: the user, or the API token (whose creator the approval rules look up). */
export const creatorOf = (actor: Actor) => actor.id ?? "system";

/**
 * Everything a version of the run's model records, read outside any transaction (it loads the model in
 * ONNX Runtime). The model is the run's `model.onnx`, or another of its ONNX artifacts by `path`.
 */
export async function prepareFromRun(projectId: string, runId: string, path: string = MODEL_ARTIFACT): Promise<VersionContent & { authorLabel: string }> {
  const run = await db().run.findFirst({ where: { id: runId, projectId }, include: { experiment: { select: { id: true, name: true } } } });
  if (!run) throw notFound("Run");
  if (run.status !== "FINISHED") throw new AppError("PRECONDITION_FAILED", `Run #${run.number} is ${run.status}; only a FINISHED run's model can be registered`);
  const artifact = await db().runArtifact.findFirst({ where: { runId: run.id, path } });
  if (!artifact) throw new AppError("PRECONDITION_FAILED", `Run #${run.number} has no ${path} artifact to register`);
  const spec = trainingSpecOf(run.spec);
  const bytes = await readArtifactBytes(artifact.sha256);
  const facts = await modelFacts(bytes, { runId: run.id, hint: taskHintOf(spec) });
  const [metrics, lineage] = await Promise.all([metricsSnapshot(run.id, spec?.datasetVersionId ?? null), runLineage(run, spec, facts.signature.metadata["cairn.trainer"] ?? null)]);
  return { facts, sha256: artifact.sha256, sizeBytes: Number(artifact.sizeBytes), metrics, lineage, runId: run.id, description: "", authorLabel: run.createdBy };
}

/**
 * Registers a FINISHED run's model.onnx as a version of `modelName` (created with the run's task when
 * missing, as MLflow's register_model does). The same bytes again answer the existing version.
 */
export async function registerFromRun(args: Base & { runId: string; createModel?: boolean }): Promise<RegisterResultDto> {
  const content = await prepareFromRun(args.projectId, args.runId);
  const who = { projectId: args.projectId, orgId: args.orgId, actor: args.actor, createdById: creatorOf(args.actor) };
  const result = await db().$transaction((tx) => recordVersion(tx, who, args.modelName, { ...content, description: args.description ?? "" }, { createModel: args.createModel ?? true }), { timeout: 30_000 });
  return { created: result.created, version: await versionDto(args.projectId, result.version.id) };
}

/** Automatic registration inside an event consumer's transaction; the version is by the run's author. */
export async function registerPreparedInTx(tx: Tx, args: { projectId: string; orgId: string; actor: Actor; modelName: string; content: VersionContent & { authorLabel: string } }) {
  const author = await tx.user.findUnique({ where: { email: args.content.authorLabel }, select: { id: true } });
  const who = { projectId: args.projectId, orgId: args.orgId, actor: args.actor, createdById: author?.id ?? "system" };
  return recordVersion(tx, who, args.modelName, args.content, { createModel: false });
}

/**
 * Registers an uploaded ONNX file: loaded in ONNX Runtime first (bytes it cannot load are refused and
 * nothing is stored), its signature and any `cairn.encoding` spec read from the file, lineage "external".
 */
export async function registerExternal(
  args: Base & { body: AsyncIterable<Uint8Array>; declaredBytes?: number; task?: ModelTask; fileName?: string; limits?: UploadLimits },
): Promise<RegisterResultDto> {
  const limits = args.limits ?? uploadLimits();
  const budget = await UploadBudget.forOrg(args.orgId, { ...limits, maxUploadBytes: Math.min(limits.maxUploadBytes, MAX_MODEL_UPLOAD_BYTES) });
  budget.declare(args.declaredBytes);
  const chunks: Uint8Array[] = [];
  for await (const chunk of args.body) {
    budget.take(chunk.byteLength);
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw new AppError("BAD_REQUEST", "The request body is empty: send the ONNX file's bytes");
  const facts = await modelFacts(bytes, { runId: null, hint: args.task });
  if (args.task && facts.task !== args.task) throw new AppError("BAD_REQUEST", `The file says it is a ${facts.task} model (its encoding spec or metadata), not ${args.task}`);

  const pending = await artifactStore().beginWrite();
  let written: string | null = null;
  try {
    await pending.write(bytes);
    const { sha256, sizeBytes } = await pending.finish();
    written = sha256;
    const content: VersionContent = { facts, sha256, sizeBytes, metrics: null, lineage: { source: "external", fileName: args.fileName ?? null }, runId: null, description: args.description ?? "" };
    const who = { projectId: args.projectId, orgId: args.orgId, actor: args.actor, createdById: creatorOf(args.actor) };
    const result = await commitReferenced(pending, () =>
      db().$transaction(async (tx) => {
        await assertWithinQuota(tx, args.orgId, sizeBytes, limits);
        return recordVersion(tx, who, args.modelName, content, { createModel: true });
      }),
    );
    return { created: result.created, version: await versionDto(args.projectId, result.version.id) };
  } catch (err) {
    await pending.abort();
    // Refused after the bytes reached their address (another task, over the quota): they go unless a row refers to them.
    if (written) await collectUnreferenced([written]);
    throw err;
  }
}
