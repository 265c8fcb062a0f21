import type { Expectation } from "@/server/datasets/schemas";

export type ExpectationKind = Expectation["kind"];

export const KINDS: { kind: ExpectationKind; label: string; help: string }[] = [
  { kind: "required_columns", label: "Required columns", help: "These columns must be present." },
  { kind: "column_type", label: "Column type", help: "The inferred type must match; optionally no missing values." },
  { kind: "no_new_columns", label: "No new columns", help: "No column that the previous version lacked." },
  { kind: "no_removed_columns", label: "No removed columns", help: "Every column of the previous version is still there." },
  { kind: "value_range", label: "Value range", help: "Every value within [min, max]; leave a bound empty for none." },
  { kind: "allowed_values", label: "Allowed values", help: "Only these values, one per line." },
  { kind: "max_missing_share", label: "Max missing share", help: "At most this share (0–1) of rows missing." },
  { kind: "unique", label: "Unique", help: "No value repeats." },
  { kind: "row_count", label: "Row count", help: "Number of rows within [min, max]." },
  { kind: "max_psi", label: "Max PSI", help: "Population stability index against the previous version; empty column = every column." },
];

export const kindLabel = (kind: string) => KINDS.find((k) => k.kind === kind)?.label ?? kind;

/** A new expectation of a kind, pre-filled with the first known column where one is needed. */
export function defaultExpectation(kind: ExpectationKind, columns: string[]): Expectation {
  const column = columns[0] ?? "";
  switch (kind) {
    case "required_columns":
      return { kind, columns: [...columns] };
    case "column_type":
      return { kind, column, type: "numeric", nullable: true };
    case "no_new_columns":
    case "no_removed_columns":
      return { kind };
    case "value_range":
      return { kind, column, min: undefined, max: undefined };
    case "allowed_values":
      return { kind, column, values: [] };
    case "max_missing_share":
      return { kind, column, max: 0.05 };
    case "unique":
      return { kind, column };
    case "row_count":
      return { kind, min: 1, max: undefined };
    case "max_psi":
      // 0.2 is the customary threshold of a significant shift.
      return { kind, column: undefined, max: 0.2 };
  }
}

export interface ExpectationDraft {
  key: string;
  value: Expectation;
}

let nextKey = 0;
export const toDrafts = (list: Expectation[]): ExpectationDraft[] => list.map((value) => ({ key: `e${nextKey++}`, value }));
export const newDraft = (value: Expectation): ExpectationDraft => ({ key: `e${nextKey++}`, value });

/**
 * The server's zod messages read "expectations.3.max: Too big…" (see the tRPC errorFormatter); this
 * files each under its expectation so the editor can show it on the row.
 */
export function errorsByRow(message: string | undefined): { rows: Map<number, string[]>; all: string[] } {
  const rows = new Map<number, string[]>();
  const all: string[] = [];
  for (const part of (message ?? "").split("; ").filter(Boolean)) {
    const m = /^expectations\.(\d+)(?:\.([\w.]+))?: (.*)$/.exec(part);
    if (!m) {
      all.push(part);
      continue;
    }
    const index = Number(m[1]);
    const text = m[2] ? `${m[2]}: ${m[3]}` : m[3]!;
    rows.set(index, [...(rows.get(index) ?? []), text]);
    all.push(`Expectation ${index + 1}, ${text}`);
  }
  return { rows, all };
}
