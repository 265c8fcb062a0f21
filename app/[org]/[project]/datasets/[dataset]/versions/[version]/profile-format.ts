import { formatStat } from "../../../../../../_lib/format";
import type { ColumnProfile } from "@/server/datasets/schemas";

const DAY_MS = 24 * 3600 * 1000;

/** Datetime statistics are epoch milliseconds: shown as dates (or a spread in days), never raw numbers. */
export function formatColumnValue(col: Pick<ColumnProfile, "type">, value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (col.type === "datetime") return new Date(value).toISOString().slice(0, 10);
  return formatStat(value);
}

export function formatSpread(col: Pick<ColumnProfile, "type">, value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return col.type === "datetime" ? `${formatStat(value / DAY_MS)} d` : formatStat(value);
}

function edgeLabel(col: Pick<ColumnProfile, "type">, v: number): string {
  if (col.type === "datetime") return new Date(v).toISOString().slice(0, 10);
  if (col.type === "integer") return String(Math.round(v));
  return formatStat(v);
}

/**
 * Chart rows of a numeric histogram, each bin named by its range (the last bin includes its upper
 * edge); integer and few-valued columns use their exact bars (one per value, or integer ranges).
 */
export function histogramRows(col: ColumnProfile, exact?: { label: string; count: number }[]): { bin: string; rows: number }[] {
  if (exact && exact.length > 0) return exact.map((b) => ({ bin: b.label, rows: b.count }));
  const h = col.histogram;
  if (!h || h.kind !== "numeric") return [];
  return h.counts.map((rows, i) => ({ bin: `${edgeLabel(col, h.edges[i]!)}–${edgeLabel(col, h.edges[i + 1]!)}`, rows }));
}

/** Top values followed by everything else as one "other" bar. */
export function topValueRows(col: ColumnProfile): { name: string; value: number }[] {
  const h = col.histogram;
  if (!h || h.kind !== "categorical") return [];
  const rows = h.top.map((t) => ({ name: t.value === "" ? "(empty)" : t.value, value: t.count }));
  return h.otherCount > 0 ? [...rows, { name: "(other)", value: h.otherCount }] : rows;
}
