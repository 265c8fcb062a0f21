/**
 * Drift statistics at scale: reference and current columns of 1,000,000 rows × 50 columns (half
 * numeric, half categorical codes), synthetic and deterministic. Cairn computes PSI, Jensen–Shannon
 * and chi-square on the PSI's bins for every column, KS and Wasserstein for the numeric ones; in the
 * same run python3 does the same with numpy/scipy on the same bytes (a temporary binary file both
 * read), and the results are checked to agree. Usage: npm run bench:drift [-- --rows 1000000 --columns 50]
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pooledChiSquare } from "../server/ml/categorical-drift";
import { chiSquareTest, jensenShannon, ks2samp, wasserstein1 } from "../server/ml/drift";
import { binOnCuts, categoricalReference, numericReference, psi, psiOfCounts } from "../server/ml/psi";
import { Rng } from "../server/ml/random";
import { linspaceEdges, sortFloat64 } from "../server/ml/stats";

const { values: args } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, columns: { type: "string", default: "50" } } });
const rows = Number(args.rows);
const nColumns = Number(args.columns);
type Layout = { kind: "numeric" } | { kind: "categorical"; k: number };
const layout: Layout[] = Array.from({ length: nColumns }, (_, c) => (c % 2 === 0 ? { kind: "numeric" } : { kind: "categorical", k: 5 + ((c >> 1) % 8) * 5 }));

// ---- data: written once, column by column (reference rows, then current rows) ----
const dir = mkdtempSync(path.join(tmpdir(), "cairn-bench-drift-"));
const file = path.join(dir, "columns.bin");
const rng = new Rng(20261129);
const normal = () => Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
const fd = openSync(file, "w");
console.log(`writing ${rows.toLocaleString("en")} rows × ${nColumns} columns (reference and current) to ${file}…`);
layout.forEach((col, c) => {
  if (col.kind === "numeric") {
    const scale = 1 + c / 50;
    const shift = (c % 3) * 0.02 * scale;
    const ref = Float64Array.from({ length: rows }, () => c + scale * normal());
    const cur = Float64Array.from({ length: rows }, () => c + shift + scale * normal());
    writeSync(fd, new Uint8Array(ref.buffer));
    writeSync(fd, new Uint8Array(cur.buffer));
  } else {
    const weights = Array.from({ length: col.k }, (_, i) => 1 / (i + 1));
    const tilted = weights.map((w, i) => w * (1 + ((c % 4) * 0.05 * i) / col.k));
    const draw = (ws: number[]) => {
      const total = ws.reduce((s, w) => s + w, 0);
      return Uint8Array.from({ length: rows }, () => {
        let u = rng.next() * total;
        for (let i = 0; i < ws.length; i++) if ((u -= ws[i]!) < 0) return i;
        return ws.length - 1;
      });
    };
    writeSync(fd, draw(weights));
    writeSync(fd, draw(tilted));
  }
});
closeSync(fd);

// ---- Cairn ----
const readFd = openSync(file, "r");
let position = 0;
function read(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let done = 0; done < bytes; ) done += readSync(readFd, out, done, bytes - done, position + done);
  position += bytes;
  return out;
}
const names = (k: number) => Array.from({ length: k }, (_, i) => `c${i}`);
type Result = { psi: number; js: number; chi: number; ks?: number; ksP?: number; wasserstein?: number };

// The PSI's bins for a continuous reference: the inner edges of numpy's 20 equal-width bins.
function cutsOf(ref: Float64Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ref.length; i++) {
    const x = ref[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return linspaceEdges(lo, hi, 20).subarray(1, 20);
}

const byIndex = (counts: number[]): Record<string, number> => Object.fromEntries(counts.map((c, i) => [String(i), c]));

function histogramNumeric(ref: Float64Array, cur: Float64Array): Result {
  const cuts = cutsOf(ref);
  // Missing first, as psi.ts bins (no value is missing here).
  const refCounts = [0, ...binOnCuts(ref, cuts)];
  const curCounts = [0, ...binOnCuts(cur, cuts)];
  return { psi: psiOfCounts(refCounts, curCounts), js: jensenShannon(refCounts, curCounts, Math.E), chi: chiSquareTest(byIndex(refCounts), byIndex(curCounts)).statistic };
}

function countCodes(codes: Uint8Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]!++;
  return counts;
}

function histogramCategorical(ref: Uint8Array, cur: Uint8Array, k: number): Result {
  const rc = countCodes(ref, k);
  const cc = countCodes(cur, k);
  const labels = names(k);
  const refMap = new Map(labels.map((l, i) => [l, rc[i]!] as const));
  const curMap = new Map(labels.map((l, i) => [l, cc[i]!] as const));
  const binned = psi(categoricalReference(refMap, 0), { kind: "categorical", counts: curMap, missing: 0 });
  const chi = pooledChiSquare(refMap, curMap);
  return { psi: binned.psi, js: jensenShannon(binned.reference, binned.current, Math.E), chi: chi.valid ? chi.statistic : NaN };
}

let histMs = 0;
let ksMs = 0;
let wassersteinMs = 0;
const ours: Result[] = [];
for (const col of layout) {
  if (col.kind === "numeric") {
    const ref = new Float64Array(read(8 * rows).buffer);
    const cur = new Float64Array(read(8 * rows).buffer);
    let t = performance.now();
    const r = histogramNumeric(ref, cur);
    histMs += performance.now() - t;
    if (ours.length === 0) {
      // Same bins as psi.ts derives from the sorted reference (checked outside the timing).
      const reference = numericReference(sortFloat64(Float64Array.from(ref)), 0);
      const cuts = cutsOf(ref);
      if (reference.kind !== "numeric" || reference.cuts.some((x, i) => x !== cuts[i])) throw new Error("bench: cuts differ from numericReference");
    }
    t = performance.now();
    const ks = ks2samp(ref, cur);
    ksMs += performance.now() - t;
    t = performance.now();
    const w = wasserstein1(ref, cur);
    wassersteinMs += performance.now() - t;
    ours.push({ ...r, ks: ks.statistic, ksP: ks.pValue, wasserstein: w });
  } else {
    const ref = read(rows);
    const cur = read(rows);
    const t = performance.now();
    ours.push(histogramCategorical(ref, cur, col.k));
    histMs += performance.now() - t;
  }
}
closeSync(readFd);

// ---- numpy / scipy on the same file ----
console.log("numpy/scipy on the same columns…");
const child = spawnSync("/usr/bin/python3", [path.join(import.meta.dirname, "drift_scipy.py"), file, JSON.stringify({ rows, columns: layout })], { encoding: "utf8", maxBuffer: 1 << 24 });
rmSync(dir, { recursive: true, force: true });
if (child.status !== 0) throw new Error(`python3 failed: ${child.stderr}`);
const theirs = JSON.parse(child.stdout) as { histS: number; ksS: number; wassersteinS: number; columns: typeof ours };

// ---- agreement ----
let worst = 0;
ours.forEach((o, c) => {
  const t = theirs.columns[c]!;
  for (const key of ["psi", "js", "chi", "ks", "wasserstein"] as const) {
    if (o[key] === undefined) continue;
    const rel = Math.abs(o[key] - t[key]!) / Math.max(1e-12, Math.abs(t[key]!));
    worst = Math.max(worst, rel);
    if (rel > 1e-6) throw new Error(`column ${c} ${key}: Cairn ${o[key]} vs scipy ${t[key]}`);
  }
});

const numeric = layout.filter((c) => c.kind === "numeric").length;
const histCells = 2 * rows * nColumns;
const rate = (cells: number, ms: number) => `${((cells / ms) * 1e3 / 1e6).toFixed(1)} M cells/s`;
console.log(`\n${rows.toLocaleString("en")} rows × ${nColumns} columns (${numeric} numeric, ${nColumns - numeric} categorical), reference + current; results agree with scipy to ${worst.toExponential(1)} (relative)`);
console.log(`PSI + JS + chi-square (binning both sides): Cairn ${(histMs / 1e3).toFixed(2)} s = ${rate(histCells, histMs)}; numpy/scipy ${theirs.histS.toFixed(2)} s = ${rate(histCells, theirs.histS * 1e3)}; Cairn/scipy time ${(histMs / 1e3 / theirs.histS).toFixed(2)} (target ≥ 50 M cells/s)`);
console.log(`KS (ks_2samp, asymp p-value)        : Cairn ${(ksMs / 1e3).toFixed(2)} s = ${rate(2 * rows * numeric, ksMs)}; scipy ${theirs.ksS.toFixed(2)} s; Cairn/scipy time ${(ksMs / 1e3 / theirs.ksS).toFixed(2)} (target ≤ 1)`);
console.log(`Wasserstein (wasserstein_distance)  : Cairn ${(wassersteinMs / 1e3).toFixed(2)} s = ${rate(2 * rows * numeric, wassersteinMs)}; scipy ${theirs.wassersteinS.toFixed(2)} s; Cairn/scipy time ${(wassersteinMs / 1e3 / theirs.wassersteinS).toFixed(2)} (target ≤ 1)`);
