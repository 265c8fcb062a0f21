/** Gate checks about the model rather than its scores: data validation, robustness, latency and size budgets, signature. */
import { z } from "zod";
import { db } from "../db";
import type { RawRow } from "../ml/features";
import type { Scorer } from "../evaluation/score";
import { probeRobustness } from "../evaluation/robustness";
import type { EncodingSpec } from "../ml/features";
import type { GatePolicy } from "./policy";
import type { GateCheck } from "./schemas";

type Check<N extends GateCheck["name"]> = Extract<GateCheck, { name: N }>;

/** The dataset versions a model was trained, validated and tested on. */
export type DataRoles = { role: "train" | "validation" | "test"; versionId: string }[];

export async function dataValidationCheck(projectId: string, roles: DataRoles): Promise<Check<"data_validation">> {
  const rows = await db().datasetVersion.findMany({ where: { projectId, id: { in: roles.map((r) => r.versionId) } }, select: { id: true, number: true, validation: true, dataset: { select: { slug: true } } } });
  const versions = roles.map((r) => {
    const row = rows.find((v) => v.id === r.versionId);
    return { role: r.role, versionId: r.versionId, dataset: row?.dataset.slug ?? "(deleted)", number: row?.number ?? 0, status: row?.validation ?? "MISSING" };
  });
  // NO_CONTRACT passes (there is nothing to violate) but is named in the summary, so a reviewer sees it.
  const bad = versions.filter((v) => v.status !== "PASSED" && v.status !== "NO_CONTRACT");
  const uncontracted = versions.filter((v) => v.status === "NO_CONTRACT");
  const label = (v: (typeof versions)[number]) => `${v.role} ${v.dataset} v${v.number} ${v.status}`;
  const summary = bad.length ? `not validated: ${bad.map(label).join(", ")}` : uncontracted.length ? `passed; no contract: ${uncontracted.map(label).join(", ")}` : "every dataset version passed its contract";
  return { name: "data_validation", status: bad.length || versions.length === 0 ? "fail" : "pass", summary: versions.length ? summary : "no dataset versions in the lineage", skipped: null, evidence: { versions } };
}

/** Worst relative degradation of the headline metric under the evaluation's noise and missing-value probes. */
export async function robustnessCheck(policy: GatePolicy, args: { spec: EncodingSpec; rows: readonly RawRow[]; yTrue: Float64Array; scorer: Scorer; threshold: number }): Promise<Check<"robustness">> {
  const limit = policy.checks.robustness!.max_degradation;
  const result = await probeRobustness({ spec: args.spec, rows: args.rows, yTrue: args.yTrue, score: (rs) => args.scorer.score(rs), task: args.scorer.task, threshold: args.threshold });
  const lowerIsBetter = args.scorer.task === "regression";
  const scored = result.rows.map((row) => ({
    row,
    degradation: row.value === null ? null : (lowerIsBetter ? row.value - row.baseline : row.baseline - row.value) / Math.max(Math.abs(row.baseline), 1e-12),
  }));
  // A probe that breaks the model (non-finite predictions, undefined metric) is the worst case there is.
  const pick = scored.find((s) => s.degradation === null) ?? scored.reduce<(typeof scored)[number] | null>((w, s) => (w === null || s.degradation! > w.degradation! ? s : w), null);
  const worst = pick ? { perturbation: pick.row.perturbation, feature: pick.row.feature, level: pick.row.level, baseline: pick.row.baseline, value: pick.row.value, degradation: pick.degradation } : null;
  const metric = result.rows[0]?.metric ?? (lowerIsBetter ? "rmse" : "rocAuc");
  const passed = worst === null || (worst.degradation !== null && worst.degradation <= limit);
  const summary = worst === null ? "no probe applies (no numeric feature with values)" : `worst ${worst.perturbation}${worst.feature ? ` on ${worst.feature}` : ""} at ${worst.level}: ${metric} ${worst.degradation === null ? "undefined (model failed)" : `${(worst.degradation * 100).toFixed(1)}% worse`} (limit ${(limit * 100).toFixed(1)}%)`;
  return { name: "robustness", status: passed ? "pass" : "fail", summary, skipped: null, evidence: { maxDegradation: limit, metric, sample: result.sample, worst, probes: result.rows.length } };
}

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
};

const SINGLE_REPEATS = 60;
const BATCH_REPEATS = 12;

/** ONNX Runtime p95 latency (encoding included, as serving does it) for 1 row and a 1,000-row batch, measured here; model size. */
export async function budgetsCheck(policy: GatePolicy, args: { scorer: Scorer; rows: readonly RawRow[]; sizeBytes: number }): Promise<Check<"budgets">> {
  const b = policy.checks.budgets!;
  const batch = Array.from({ length: 1000 }, (_, i) => args.rows[i % args.rows.length]!);
  const time = async (rows: readonly RawRow[], repeats: number) => {
    await args.scorer.score(rows); // warm-up: the first run allocates ONNX Runtime's buffers
    const ms: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t = performance.now();
      await args.scorer.score(rows);
      ms.push(performance.now() - t);
    }
    return p95(ms);
  };
  const single = await time([args.rows[0]!], SINGLE_REPEATS);
  const thousand = await time(batch, BATCH_REPEATS);
  const sizeMb = args.sizeBytes / 1e6;
  const items = [
    { budget: "p95_single_ms" as const, value: single, limit: b.p95_single_ms ?? null },
    { budget: "p95_batch_1000_ms" as const, value: thousand, limit: b.p95_batch_1000_ms ?? null },
    { budget: "max_size_mb" as const, value: sizeMb, limit: b.max_size_mb ?? null },
  ].map((i) => ({ ...i, passed: i.limit === null || i.value <= i.limit }));
  const summary = items.map((i) => `${i.budget} ${i.value.toFixed(2)}${i.limit === null ? "" : ` ${i.passed ? "≤" : ">"} ${i.limit}`}`).join(", ");
  return { name: "budgets", status: items.every((i) => i.passed) ? "pass" : "fail", summary, skipped: null, evidence: { items, repeats: { single: SINGLE_REPEATS, batch: BATCH_REPEATS } } };
}

// Registered signatures name an input's type `type` (registry) or `elemType` (modelSignature); both are read.
const ZStoredSignature = z.object({ inputs: z.array(z.looseObject({ name: z.string(), type: z.string().optional(), elemType: z.string().optional() })) }).loose();

/** Inputs of a stored signature by name → type; null when the stored JSON has no inputs list. */
export function signatureInputs(signature: unknown): Map<string, string> | null {
  const parsed = ZStoredSignature.safeParse(signature);
  if (!parsed.success) return null;
  return new Map(parsed.data.inputs.map((i) => [i.name, i.type ?? i.elemType ?? "unknown"]));
}

/** Input-level changes from one signature to another (removed, added, retyped inputs). */
export function signatureChanges(from: unknown, to: unknown) {
  const a = signatureInputs(from) ?? new Map<string, string>();
  const b = signatureInputs(to) ?? new Map<string, string>();
  const changes: { input: string; change: "removed" | "added" | "type"; from: string | null; to: string | null }[] = [];
  for (const [name, type] of a) {
    if (!b.has(name)) changes.push({ input: name, change: "removed", from: type, to: null });
    else if (b.get(name) !== type) changes.push({ input: name, change: "type", from: type, to: b.get(name)! });
  }
  for (const [name, type] of b) if (!a.has(name)) changes.push({ input: name, change: "added", from: null, to: type });
  return changes;
}

/** Compatible: same input names and types as the champion's (any change breaks callers), unless allowed. */
export function signatureCheck(policy: GatePolicy, challenger: unknown, champion: unknown | null): Check<"signature"> {
  const allowBreaking = policy.checks.signature!.allow_breaking;
  if (champion === null) return { name: "signature", status: "pass", summary: "skipped: no champion", skipped: "no champion", evidence: null };
  const changes = signatureChanges(champion, challenger);
  const breaking = changes.length > 0;
  const summary = breaking ? `${allowBreaking ? "breaking (allowed)" : "breaking"}: ${changes.map((c) => `${c.input} ${c.change}${c.change === "type" ? ` ${c.from} → ${c.to}` : ""}`).join(", ")}` : "inputs identical to the champion's";
  return { name: "signature", status: breaking && !allowBreaking ? "fail" : "pass", summary, skipped: null, evidence: { allowBreaking, breaking, changes } };
}
