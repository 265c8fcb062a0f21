/**
 * MLflow's artifact proxy (/api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>)
 * on Cairn's run artifacts: the same rows, store and quota as /api/v1's artifact upload, so a file
 * logged with mlflow.log_artifact is on the run's page.
 */
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { checkArtifactPath, decodeArtifactPath, getArtifact, putArtifact } from "../runs/artifacts";
import { chunksOf } from "../lib/streams";
import { runArtifactUri } from "./dto";

/** A location under the artifact root: the run it belongs to and the path within the run ("" = its root). */
export interface ArtifactLocation {
  experimentId: string;
  runId: string;
  path: string;
}

/** Reads `<experiment>/<run>/artifacts[/<path>]`, percent-decoded once and checked as Cairn checks artifact paths. */
export function parseArtifactLocation(raw: string, opts: { decode: boolean }): ArtifactLocation {
  const trimmed = raw.replace(/^\/+|\/+$/g, "");
  const [experimentId, runId, artifacts, ...rest] = trimmed.split("/");
  if (!experimentId || !runId || artifacts !== "artifacts") {
    throw new AppError("BAD_REQUEST", `"${raw}" is not a run's artifact location (<experiment_id>/<run_id>/artifacts/<path>)`);
  }
  const joined = rest.join("/");
  const path = joined === "" ? "" : opts.decode ? decodeArtifactPath(joined) : checkArtifactPath(rest);
  // Ids are plain letters and digits: anything else names no run (and never reaches a decoder).
  if (!/^[A-Za-z0-9]{1,64}$/.test(experimentId) || !/^[A-Za-z0-9]{1,64}$/.test(runId)) throw notFound("Run");
  return { experimentId, runId, path };
}

/** The run behind a location, within the project; a wrong experiment reads as a missing run. */
async function runAt(projectId: string, loc: { experimentId?: string; runId: string }) {
  const run = await db().run.findFirst({ where: { id: loc.runId, projectId, ...(loc.experimentId ? { experimentId: loc.experimentId } : {}) }, select: { id: true, experimentId: true } });
  if (!run) throw notFound("Run");
  return run;
}

export async function uploadArtifact(projectId: string, loc: ArtifactLocation, body: ReadableStream<Uint8Array> | null, contentType: string | null) {
  if (!loc.path) throw new AppError("BAD_REQUEST", "An upload names a file under the run's artifacts/");
  if (!body) throw new AppError("BAD_REQUEST", "The request has no body");
  await runAt(projectId, loc);
  await putArtifact({ projectId, runId: loc.runId, path: loc.path, body: chunksOf(body), contentType });
  return {};
}

export async function downloadArtifact(projectId: string, loc: ArtifactLocation) {
  await runAt(projectId, loc);
  return getArtifact(projectId, loc.runId, loc.path);
}

/** The files and folders directly under `dir` of a run; `full` gives paths from the run's root, else names. */
async function listDir(runId: string, dir: string, full: boolean) {
  const prefix = dir ? `${dir}/` : "";
  const rows = await db().runArtifact.findMany({ where: { runId, path: { startsWith: prefix } }, select: { path: true, sizeBytes: true }, orderBy: { path: "asc" } });
  const files = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
  for (const r of rows) {
    const rest = r.path.slice(prefix.length);
    const slash = rest.indexOf("/");
    const name = slash < 0 ? rest : rest.slice(0, slash);
    if (!files.has(name)) files.set(name, { path: full ? prefix + name : name, is_dir: slash >= 0, ...(slash < 0 ? { file_size: Number(r.sizeBytes) } : {}) });
  }
  return [...files.values()];
}

/** The artifact proxy's listing: names relative to the listed folder (MLflow's client joins them). */
export async function listArtifactsAt(projectId: string, loc: ArtifactLocation) {
  await runAt(projectId, loc);
  return { files: await listDir(loc.runId, loc.path, false) };
}

/** The tracking API's artifacts/list: paths from the run's artifact root, and that root. */
export async function listRunArtifacts(projectId: string, runId: string, path: string | undefined) {
  const run = await runAt(projectId, { runId });
  const dir = path ? checkArtifactPath(path.replace(/^\/+|\/+$/g, "").split("/")) : "";
  return { root_uri: runArtifactUri(run.experimentId, run.id), files: await listDir(run.id, dir, true) };
}
