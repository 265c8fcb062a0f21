/**
 * ONNX Runtime sessions kept by model SHA-256, each scoring through the evaluation scorer
 * (server/evaluation/score.ts) with the version's stored encoding spec: serving and evaluation cannot
 * encode a row differently. A model is warmed with one scoring before any route points at it.
 */
import { db } from "../db";
import { env } from "../env";
import { encodingForModelVersion, readArtifactBytes } from "../evaluation/encoding";
import { createScorer, type Scorer } from "../evaluation/score";
import { batchingScorer } from "./batcher";
import type { EncodingSpec, RawRow } from "../ml/features";

/** How long a session outlives its last route, for requests still in flight on it. */
const RELEASE_GRACE_MS = 10_000;

export interface ServedModel {
  versionId: string;
  /** `<model name>:<number>`, the value of x-cairn-model-version. */
  label: string;
  number: number;
  sha256: string;
  spec: EncodingSpec;
  scorer: Scorer;
}

/** A row of missing values: every encoder reads it, so it warms the session without real data. */
function dummyRow(spec: EncodingSpec): RawRow {
  return Object.fromEntries(spec.features.map((f) => [f.name, null]));
}

export const versionKey = (projectId: string, versionId: string) => `${projectId}:${versionId}`;

export class ModelCache {
  /** Requests waiting for a model at once are scored in one run of up to `maxBatchRows` rows (server/serving/batcher.ts). */
  constructor(private readonly opts: { maxBatchRows?: number; onRun?: (requests: number, rows: number) => void } = {}) {}

  private readonly bySha = new Map<string, Promise<Scorer & { spec: EncodingSpec }>>();
  /** Keyed by project and version id: a version is served only to deployments of its own project. */
  private readonly byVersion = new Map<string, Promise<ServedModel>>();

  /** The warmed model of a version; loads it once, shared by every version with the same bytes and spec. */
  load(projectId: string, versionId: string): Promise<ServedModel> {
    const key = versionKey(projectId, versionId);
    let pending = this.byVersion.get(key);
    if (!pending) {
      pending = this.loadVersion(projectId, versionId);
      // A failed load is retried on the next refresh instead of being remembered forever.
      pending.catch(() => this.byVersion.delete(key));
      this.byVersion.set(key, pending);
    }
    return pending;
  }

  private async loadVersion(projectId: string, versionId: string): Promise<ServedModel> {
    // Scoped to the deployment's project: a row naming another project's version serves nothing.
    const version = await db().modelVersion.findFirst({ where: { id: versionId, projectId }, include: { model: { select: { name: true } } } });
    if (!version) throw new Error(`model version ${versionId} does not exist`);
    const bytes = await readArtifactBytes(version.sha256);
    const spec = await encodingForModelVersion(version, bytes);
    if (!spec) throw new Error(`model version ${version.model.name}:${version.number} has no encoding spec to read requests with`);
    // Same bytes, same spec → same session; the key includes the spec because a session is built with it.
    const key = `${version.sha256}:${JSON.stringify(spec)}`;
    let scorer = this.bySha.get(key);
    if (!scorer) {
      scorer = createScorer(bytes, { spec, task: version.task === "binary" ? "binary" : "regression", threads: env().CAIRN_SERVE_ORT_THREADS }).then(async (s) => {
        await s.score([dummyRow(spec)]);
        return batchingScorer(s, { maxRows: this.opts.maxBatchRows ?? env().CAIRN_SERVE_MAX_BATCH_ROWS, onRun: this.opts.onRun });
      });
      scorer.catch(() => this.bySha.delete(key));
      this.bySha.set(key, scorer);
    }
    return { versionId, label: `${version.model.name}:${version.number}`, number: version.number, sha256: version.sha256, spec, scorer: await scorer };
  }

  /** Releases sessions no longer used by any of `keep` (versionKey(projectId, versionId)). */
  async retain(keep: ReadonlySet<string>): Promise<void> {
    const used = new Set<Promise<Scorer & { spec: EncodingSpec }>>();
    for (const [key, model] of this.byVersion) {
      if (keep.has(key)) {
        const m = await model.catch(() => null);
        if (m) for (const [k, s] of this.bySha) if (k.startsWith(`${m.sha256}:`) && (await s.catch(() => null)) === m.scorer) used.add(s);
      } else this.byVersion.delete(key);
    }
    for (const [key, s] of this.bySha) {
      if (used.has(s)) continue;
      this.bySha.delete(key);
      // Requests routed just before the swap may still be scoring on the old session.
      setTimeout(() => void s.then((x) => x.release(), () => undefined), RELEASE_GRACE_MS).unref();
    }
  }

  async close(): Promise<void> {
    await this.retain(new Set());
  }
}
