/** Compare two model versions: both scored on the same rows (the first version's test split), signature and lineage side by side. */
import { AppError } from "../errors";
import { encodeTarget, type RawRow } from "../ml/features";
import { getModelVersionRow } from "../registry/lookup";
import { ZModelTask } from "../registry/names";
import { readStored } from "../lib/stored-json";
import { metricValue } from "./checks";
import { signatureChanges } from "./model-checks";
import type { CompareDto } from "./schemas";
import { directionOf, metricsOf } from "./policy";
import { dataRolesOf, loadRows, scorerOf } from "./scoring";

/** Leaf values of a JSON value by dotted path, as display text. */
function flatten(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, typeof value === "string" ? value : JSON.stringify(value));
  return out;
}

/** The paths where two lineages differ (a path missing on one side reads null). */
export function lineageDiff(a: unknown, b: unknown) {
  const fa = flatten(a);
  const fb = flatten(b);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths.filter((p) => fa.get(p) !== fb.get(p)).map((path) => ({ path, a: fa.get(path) ?? null, b: fb.get(path) ?? null }));
}

/** Scores both versions on the first one's test rows and lists metrics, signature changes (a → b) and lineage differences. */
export async function compareVersions(args: { projectId: string; versionId: string; otherVersionId: string; signal?: AbortSignal }): Promise<CompareDto> {
  const a = await getModelVersionRow(args.projectId, args.versionId);
  const b = await getModelVersionRow(args.projectId, args.otherVersionId);
  const task = readStored(ZModelTask, a.task, "version task");
  if (b.task !== task) throw new AppError("BAD_REQUEST", `Version ${a.number} is a ${task} model and version ${b.number} a ${b.task} one: their metrics do not compare`);
  const { dataVersion, dataset, rows: all } = await loadRows(args.projectId, a, await dataRolesOf(a), "test", args.signal);
  const scorerA = await scorerOf(a, task);
  try {
    const scorerB = await scorerOf(b, task);
    try {
      const yAll = encodeTarget(scorerA.spec, all);
      const keep = [...yAll.keys()].filter((i) => Number.isFinite(yAll[i]!));
      if (keep.length === 0) throw new AppError("PRECONDITION_FAILED", "No test row has a target the first version can read");
      const rows: RawRow[] = keep.map((i) => all[i]!);
      const yTrue = Float64Array.from(keep, (i) => yAll[i]!);
      const sa = { task, yTrue, scores: await scorerA.score(rows), threshold: 0.5 };
      const sb = { task, yTrue, scores: await scorerB.score(rows), threshold: 0.5 };
      const metrics = metricsOf(task).map((metric) => {
        const va = metricValue(sa, metric);
        const vb = metricValue(sb, metric);
        return { metric, direction: directionOf(task, metric), a: va, b: vb, difference: va === null || vb === null ? null : vb - va };
      });
      const side = (v: typeof a) => ({ versionId: v.id, modelId: v.modelId, number: v.number, sha256: v.sha256 });
      return {
        task,
        a: side(a),
        b: side(b),
        rows: { datasetVersionId: dataVersion.id, dataset: dataset.slug, number: dataVersion.number, split: "test", count: rows.length },
        metrics,
        signature: { changes: signatureChanges(a.signature, b.signature) },
        lineage: lineageDiff(a.lineage, b.lineage),
      };
    } finally {
      await scorerB.release();
    }
  } finally {
    await scorerA.release();
  }
}
