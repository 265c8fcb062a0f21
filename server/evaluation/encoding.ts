/**
 * The encoding spec an evaluation scores with: the run's stored encoding.json, else the one embedded
 * in a Cairn-built model (`cairn.encoding`), else (runs from before specs were stored) one derived
 * from the training split the run was trained on, as the training job derives it for commands.
 */
import { db } from "../db";
import { AppError } from "../errors";
import { getVersionRow } from "../datasets/versions";
import { ENCODING_ARTIFACT, ENCODING_METADATA_KEY, parseEncodingSpec, type EncodingSpec } from "../ml/features";
import { modelSignature } from "../ml/onnx/signature";
import { artifactStore } from "../storage/artifact-store";
import { deriveEncodingSpec, type ModelIo } from "../training/encoding";

/** An artifact's bytes by content hash. */
export async function readArtifactBytes(sha256: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of artifactStore().read(sha256)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The spec stored with a run's model, or derived for old runs; where it came from is returned for the report. */
export async function encodingForRun(args: {
  projectId: string;
  runId: string;
  model: Uint8Array;
  io: ModelIo;
  /** Used only when deriving: the version trained on (else the evaluated one), features, target, task. */
  trainedOn: string | null;
  evaluatedVersionId: string;
  features: readonly string[];
  target: string;
  task: "regression" | "binary";
  signal?: AbortSignal;
}): Promise<{ spec: EncodingSpec; source: "artifact" | "model" | "derived" }> {
  const stored = await storedEncoding(args.runId, args.model);
  if (stored) return stored;
  const version = await getVersionRow(args.projectId, args.trainedOn ?? args.evaluatedVersionId).catch(() => getVersionRow(args.projectId, args.evaluatedVersionId));
  const spec = await deriveEncodingSpec({ version, features: args.features, target: args.target, task: args.task, io: args.io, signal: args.signal }).catch((err: unknown) => {
    if (err instanceof RangeError) throw new AppError("BAD_REQUEST", err.message);
    throw err;
  });
  return { spec, source: "derived" };
}

/**
 * The spec stored with a model: the run's encoding.json (when there is a run), else the one embedded
 * in the file (`cairn.encoding`); null when neither exists. One that does not parse is BAD_REQUEST.
 */
export async function storedEncoding(runId: string | null, model: Uint8Array): Promise<{ spec: EncodingSpec; source: "artifact" | "model" } | null> {
  const stored = runId ? await db().runArtifact.findFirst({ where: { runId, path: ENCODING_ARTIFACT } }) : null;
  try {
    if (stored) return { spec: parseEncodingSpec(Buffer.from(await readArtifactBytes(stored.sha256)).toString("utf8")), source: "artifact" };
    const embedded = modelSignature(model).metadata[ENCODING_METADATA_KEY];
    if (embedded !== undefined) return { spec: parseEncodingSpec(embedded), source: "model" };
  } catch (err) {
    throw new AppError("BAD_REQUEST", `${runId ? "The run's" : "The model's"} stored encoding spec cannot be read: ${(err as Error).message}`);
  }
  return null;
}

/**
 * The spec a registered model version is scored with (serving, batch scoring, online reports): the
 * one stored on the version, else the one embedded in its file (read only then, unless `bytes` are
 * given); null when neither exists.
 */
export async function encodingForModelVersion(version: { encoding: unknown; sha256: string }, bytes?: Uint8Array): Promise<EncodingSpec | null> {
  if (version.encoding !== null && version.encoding !== undefined) return parseEncodingSpec(version.encoding);
  return (await storedEncoding(null, bytes ?? (await readArtifactBytes(version.sha256))))?.spec ?? null;
}
