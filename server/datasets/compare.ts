import { db } from "../db";
import { AppError, notFound } from "../errors";
import { chiSquareTest, ks2samp, psi } from "../ml/drift";
import type { ColumnProfile } from "../ml/profile";
import { storedProfile } from "./versions";

const BINS = 20;

/**
 * Counts of a histogram moved onto other bin edges, assuming values spread evenly inside each
 * source bin (exact when the edges coincide). Lets two stored profiles be compared without
 * reading the data again.
 */
export function rebin(edges: number[], counts: number[], target: number[]): number[] {
  const out = new Array<number>(target.length - 1).fill(0);
  for (let i = 0; i < counts.length; i++) {
    const lo = edges[i]!;
    const hi = edges[i + 1]!;
    const c = counts[i]!;
    if (c === 0) continue;
    if (hi <= lo) {
      out[binIndex(target, lo)]! += c;
      continue;
    }
    for (let j = 0; j < out.length; j++) {
      const overlap = Math.min(hi, target[j + 1]!) - Math.max(lo, target[j]!);
      if (overlap > 0) out[j]! += (c * overlap) / (hi - lo);
    }
    // Mass outside the target range goes to the outermost bins.
    if (lo < target[0]!) out[0]! += (c * (Math.min(hi, target[0]!) - lo)) / (hi - lo);
    if (hi > target.at(-1)!) out[out.length - 1]! += (c * (hi - Math.max(lo, target.at(-1)!))) / (hi - lo);
  }
  return out;
}

function binIndex(edges: number[], v: number): number {
  for (let j = 0; j < edges.length - 1; j++) if (v < edges[j + 1]!) return j;
  return edges.length - 2;
}

const linspace = (lo: number, hi: number, n: number) => Array.from({ length: n + 1 }, (_, i) => (i === n ? hi : lo + ((hi - lo) * i) / n));

export interface ColumnComparison {
  column: string;
  status: "added" | "removed" | "retyped" | "same";
  baseType: string | null;
  targetType: string | null;
  psi: number | null;
  ks: { statistic: number; pValue: number } | null;
  chiSquare: { statistic: number; pValue: number; dof: number } | null;
  /** Chart-ready overlaid distributions: shared numeric bins or the union of top categories. */
  chart: { label: string; base: number; target: number }[];
}

function compareColumn(name: string, a: ColumnProfile | undefined, b: ColumnProfile | undefined): ColumnComparison {
  const status = !a ? "added" : !b ? "removed" : a.type !== b.type ? "retyped" : "same";
  const out: ColumnComparison = { column: name, status, baseType: a?.type ?? null, targetType: b?.type ?? null, psi: null, ks: null, chiSquare: null, chart: [] };
  if (!a || !b || !a.histogram || !b.histogram) return out;
  if (a.histogram.kind === "numeric" && b.histogram.kind === "numeric") {
    const lo = Math.min(a.histogram.edges[0]!, b.histogram.edges[0]!);
    const hi = Math.max(a.histogram.edges.at(-1)!, b.histogram.edges.at(-1)!);
    const shared = linspace(lo, hi === lo ? lo + 1 : hi, BINS);
    const ca = rebin(a.histogram.edges, a.histogram.counts, shared);
    const cb = rebin(b.histogram.edges, b.histogram.counts, shared);
    out.psi = psi(a.histogram.edges, a.histogram.counts, rebin(b.histogram.edges, b.histogram.counts, a.histogram.edges));
    if (a.sample.length > 0 && b.sample.length > 0) out.ks = ks2samp(Float64Array.from(a.sample), Float64Array.from(b.sample));
    const ta = ca.reduce((s, x) => s + x, 0) || 1;
    const tb = cb.reduce((s, x) => s + x, 0) || 1;
    out.chart = ca.map((c, i) => ({ label: formatEdge(shared[i]!, b.type), base: c / ta, target: cb[i]! / tb }));
  } else if (a.histogram.kind === "categorical" && b.histogram.kind === "categorical") {
    const countsA: Record<string, number> = Object.fromEntries(a.histogram.top.map((t) => [t.value, t.count]));
    const countsB: Record<string, number> = Object.fromEntries(b.histogram.top.map((t) => [t.value, t.count]));
    if (a.histogram.otherCount > 0) countsA["(other)"] = a.histogram.otherCount;
    if (b.histogram.otherCount > 0) countsB["(other)"] = b.histogram.otherCount;
    out.chiSquare = chiSquareTest(countsA, countsB);
    const ta = Object.values(countsA).reduce((s, x) => s + x, 0) || 1;
    const tb = Object.values(countsB).reduce((s, x) => s + x, 0) || 1;
    const labels = [...new Set([...Object.keys(countsA), ...Object.keys(countsB)])];
    out.chart = labels.map((l) => ({ label: l, base: (countsA[l] ?? 0) / ta, target: (countsB[l] ?? 0) / tb }));
  }
  return out;
}

function formatEdge(v: number, type: string): string {
  if (type === "datetime") return new Date(v).toISOString().slice(0, 10);
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(3);
}

/** Schema diff and per-column distribution shift between two profiled versions of one project. */
export async function compareVersions(projectId: string, baseId: string, targetId: string) {
  const [base, target] = await Promise.all([
    db().datasetVersion.findFirst({ where: { id: baseId, projectId }, include: { dataset: { select: { slug: true } } } }),
    db().datasetVersion.findFirst({ where: { id: targetId, projectId }, include: { dataset: { select: { slug: true } } } }),
  ]);
  if (!base || !target) throw notFound("Dataset version");
  if (!base.profile || !target.profile) throw new AppError("PRECONDITION_FAILED", "Both versions must be profiled before they can be compared");
  const pa = storedProfile(base)!;
  const pb = storedProfile(target)!;
  const byA = new Map(pa.columns.map((c) => [c.name, c]));
  const byB = new Map(pb.columns.map((c) => [c.name, c]));
  const names = [...new Set([...pa.columns.map((c) => c.name), ...pb.columns.map((c) => c.name)])];
  const label = (v: { number: number; dataset: { slug: string } }) => `${v.dataset.slug} v${v.number}`;
  return {
    base: { id: base.id, label: label(base), rowCount: pa.rowCount },
    target: { id: target.id, label: label(target), rowCount: pb.rowCount },
    columns: names.map((n) => compareColumn(n, byA.get(n), byB.get(n))),
  };
}
