import { skipReason } from "../ml/categorical-drift";
import type { DatasetProfile } from "../ml/profile";
import type { PsiReference } from "../ml/psi";
import type { Expectation, ExpectationResult } from "./schemas";

/** What one extra pass over the data measured for the expectations a profile cannot answer. */
export interface PassFindings {
  /** Column → number of rows whose value repeats an earlier one (missing values count as repeats). */
  duplicates: Record<string, number>;
  /** Column → values outside the allowed set (up to 20 examples) and how many rows had them. */
  disallowed: Record<string, { rows: number; examples: string[] }>;
  /** Column → PSI of this version's values against the previous version's reference bins (psi.ts). */
  psi: Record<string, number>;
}

export interface CheckContext {
  columns: string[];
  rowCount: number;
  profile: DatasetProfile;
  previous: { number: number; columns: string[]; profile: DatasetProfile } | null;
  findings: PassFindings;
}

const COMPATIBLE: Record<string, string[]> = { numeric: ["numeric", "integer"], text: ["text", "categorical"] };

const result = (e: Expectation, column: string | null, passed: boolean, observed: unknown, expected: unknown, message: string): ExpectationResult => ({
  kind: e.kind,
  column,
  passed,
  observed,
  expected,
  message,
});

/** Columns whose contract needs a data pass, and what to collect for each. */
export function passPlan(expectations: Expectation[], previous: CheckContext["previous"]) {
  const unique = new Set<string>();
  const allowed = new Map<string, Set<string>>();
  // Column → the previous version's PSI reference, or null where its profile predates stored references
  // (the validate job then derives it from the previous version's data).
  const psiRefs = new Map<string, PsiReference | null>();
  for (const e of expectations) {
    if (e.kind === "unique") unique.add(e.column);
    if (e.kind === "allowed_values") allowed.set(e.column, new Set(e.values));
    if (e.kind === "max_psi" && previous) {
      for (const col of previous.profile.columns) {
        if (e.column && col.name !== e.column) continue;
        // Without a column named, identifiers and free text are left out: they differ by construction.
        if (!e.column && skipReason(col.name, { kind: col.histogram?.kind === "numeric" ? "numeric" : "categorical", type: col.type, distinct: col.distinct, nonMissing: col.count })) continue;
        if (col.type === "text" || col.count === 0) continue;
        psiRefs.set(col.name, col.psiReference ?? null);
      }
    }
  }
  return { unique, allowed, psiRefs, needed: unique.size > 0 || allowed.size > 0 || psiRefs.size > 0 };
}

/** Evaluates every expectation; each result carries the observed value next to the expected one. */
export function checkContract(expectations: Expectation[], ctx: CheckContext): ExpectationResult[] {
  const byName = new Map(ctx.profile.columns.map((c) => [c.name, c]));
  const out: ExpectationResult[] = [];
  const missingColumn = (e: Expectation, column: string) =>
    out.push(result(e, column, false, null, column, `Column "${column}" is not in this version`));
  for (const e of expectations) {
    switch (e.kind) {
      case "required_columns": {
        const absent = e.columns.filter((c) => !ctx.columns.includes(c));
        out.push(result(e, null, absent.length === 0, absent.length ? { missing: absent } : "all present", e.columns, absent.length ? `Missing required columns: ${absent.join(", ")}` : "All required columns are present"));
        break;
      }
      case "no_new_columns":
      case "no_removed_columns": {
        if (!ctx.previous) {
          out.push(result(e, null, true, null, null, "No previous version to compare with"));
          break;
        }
        const diff = e.kind === "no_new_columns" ? ctx.columns.filter((c) => !ctx.previous!.columns.includes(c)) : ctx.previous.columns.filter((c) => !ctx.columns.includes(c));
        const what = e.kind === "no_new_columns" ? "New" : "Removed";
        out.push(result(e, null, diff.length === 0, diff, [], diff.length ? `${what} columns since version ${ctx.previous.number}: ${diff.join(", ")}` : `No ${what.toLowerCase()} columns since version ${ctx.previous.number}`));
        break;
      }
      case "column_type": {
        const col = byName.get(e.column);
        if (!col) {
          missingColumn(e, e.column);
          break;
        }
        const typeOk = (COMPATIBLE[e.type] ?? [e.type]).includes(col.type);
        const nullOk = e.nullable || col.missing === 0;
        const observed = { type: col.type, missing: col.missing };
        out.push(result(e, e.column, typeOk && nullOk, observed, { type: e.type, nullable: e.nullable },
          !typeOk ? `Inferred type is ${col.type}, expected ${e.type}` : !nullOk ? `${col.missing} missing values in a non-nullable column` : `Type ${col.type} as expected`));
        break;
      }
      case "value_range": {
        const col = byName.get(e.column);
        if (!col) {
          missingColumn(e, e.column);
          break;
        }
        const lowOk = e.min === undefined || (col.min !== null && col.min >= e.min);
        const highOk = e.max === undefined || (col.max !== null && col.max <= e.max);
        out.push(result(e, e.column, lowOk && highOk, { min: col.min, max: col.max }, { min: e.min ?? null, max: e.max ?? null },
          lowOk && highOk ? "All values within range" : `Values span [${col.min}, ${col.max}], outside [${e.min ?? "−∞"}, ${e.max ?? "∞"}]`));
        break;
      }
      case "allowed_values": {
        if (!byName.has(e.column)) {
          missingColumn(e, e.column);
          break;
        }
        const found = ctx.findings.disallowed[e.column] ?? { rows: 0, examples: [] };
        out.push(result(e, e.column, found.rows === 0, found, e.values.length > 50 ? `${e.values.length} values` : e.values,
          found.rows === 0 ? "Only allowed values" : `${found.rows} rows have values outside the allowed set, e.g. ${found.examples.slice(0, 5).map((x) => JSON.stringify(x)).join(", ")}`));
        break;
      }
      case "max_missing_share": {
        const col = byName.get(e.column);
        if (!col) {
          missingColumn(e, e.column);
          break;
        }
        out.push(result(e, e.column, col.missingShare <= e.max, col.missingShare, e.max,
          `${(col.missingShare * 100).toFixed(2)}% missing (limit ${(e.max * 100).toFixed(2)}%)`));
        break;
      }
      case "unique": {
        if (!byName.has(e.column)) {
          missingColumn(e, e.column);
          break;
        }
        const dup = ctx.findings.duplicates[e.column] ?? 0;
        out.push(result(e, e.column, dup === 0, { duplicateRows: dup }, "unique", dup === 0 ? "Every value is unique" : `${dup} rows repeat an earlier value`));
        break;
      }
      case "row_count": {
        const ok = (e.min === undefined || ctx.rowCount >= e.min) && (e.max === undefined || ctx.rowCount <= e.max);
        out.push(result(e, null, ok, ctx.rowCount, { min: e.min ?? null, max: e.max ?? null }, `${ctx.rowCount} rows`));
        break;
      }
      case "max_psi":
        out.push(...psiResults(e, ctx));
        break;
    }
  }
  return out;
}

function psiResults(e: Extract<Expectation, { kind: "max_psi" }>, ctx: CheckContext): ExpectationResult[] {
  if (!ctx.previous) return [result(e, e.column ?? null, true, null, e.max, "No previous version to compare with")];
  if (e.column && !ctx.previous.profile.columns.some((c) => c.name === e.column)) return [result(e, e.column, true, null, e.max, `Column "${e.column}" is new; nothing to compare`)];
  const out: ExpectationResult[] = [];
  for (const prev of ctx.previous.profile.columns) {
    if (e.column && prev.name !== e.column) continue;
    const value = ctx.findings.psi[prev.name];
    if (value === undefined) continue;
    out.push(result(e, prev.name, value <= e.max, Number(value.toFixed(6)), e.max, `PSI ${value.toFixed(4)} against version ${ctx.previous.number} (limit ${e.max})`));
  }
  return out.length ? out : [result(e, e.column ?? null, true, null, e.max, "No comparable columns")];
}

/** A starting contract from a version's profile: what this version satisfies, with some headroom. */
export function proposeExpectations(profile: DatasetProfile): Expectation[] {
  const out: Expectation[] = [
    { kind: "required_columns", columns: profile.columns.map((c) => c.name) },
    { kind: "no_removed_columns" },
    { kind: "row_count", min: Math.floor(profile.rowCount * 0.5) },
  ];
  for (const c of profile.columns) {
    out.push({ kind: "column_type", column: c.name, type: c.type, nullable: c.missing > 0 });
    out.push({ kind: "max_missing_share", column: c.name, max: Math.min(1, Number((c.missingShare + 0.05).toFixed(4))) });
    if ((c.type === "numeric" || c.type === "integer") && c.min !== null && c.max !== null) {
      out.push({ kind: "value_range", column: c.name, min: c.min, max: c.max });
    }
    if ((c.type === "categorical" || c.type === "boolean") && c.histogram?.kind === "categorical" && c.histogram.otherCount === 0) {
      out.push({ kind: "allowed_values", column: c.name, values: c.histogram.top.map((t) => t.value) });
    }
    if (c.distinct === c.count && c.missing === 0 && (c.type === "integer" || c.type === "text")) out.push({ kind: "unique", column: c.name });
  }
  // 0.2 is the customary "significant shift" threshold for the population stability index.
  out.push({ kind: "max_psi", max: 0.2 });
  return out;
}
