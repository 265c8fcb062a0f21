/**
 * Columns a model should not learn from by default: identifiers (a value per row: the model
 * memorises rows, and leaks where ids follow time) and constants (nothing to learn). The training
 * form unticks them and says why; the user may tick them back.
 */
import { identifierName, skipReason } from "./categorical-drift";

export interface ProfiledColumn {
  name: string;
  type: string;
  /** Non-missing values. */
  count: number;
  distinct: number;
  histogram?: { kind: string } | null;
}

export interface FeatureAdvice {
  column: string;
  reason: "identifier" | "constant";
  detail: string;
}

export function featureAdvice(columns: readonly ProfiledColumn[]): FeatureAdvice[] {
  const out: FeatureAdvice[] = [];
  for (const c of columns) {
    if (c.distinct <= 1) {
      out.push({ column: c.name, reason: "constant", detail: c.count === 0 ? "no values" : "the same value in every row" });
      continue;
    }
    const kind = c.histogram?.kind === "numeric" ? "numeric" : "categorical";
    if (skipReason(c.name, { kind, type: c.type, distinct: c.distinct, nonMissing: c.count }) === "identifier-like") {
      out.push({ column: c.name, reason: "identifier", detail: identifierName(c.name) ? "named like an identifier" : "a distinct value in almost every row" });
    }
  }
  return out;
}
