/**
 * Gate evaluation benchmark: champion/challenger on 200,000 test rows with 10,000 paired bootstrap
 * resamples (RMSE difference, percentile 95% CI) plus the paired t-test and Wilcoxon signed-rank on the
 * per-row squared errors. numpy does the same resampling (and scipy the same two tests) on the same rows
 * in the same run; each side times only its own computation. Run with `npm run bench:gate`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pairedBootstrap } from "@/server/ml/gates/bootstrap";
import { superiority } from "@/server/ml/gates/decision";
import { pairedTTest, wilcoxonSignedRank } from "@/server/ml/gates/paired-tests";
import { Rng } from "@/server/ml/random";

const ROWS = Number(process.env.GATE_ROWS ?? 200_000);
const RESAMPLES = Number(process.env.GATE_RESAMPLES ?? 10_000);

// Per-row squared errors: the challenger's residuals are 1% smaller and correlated with the champion's.
const rng = new Rng(2026);
const champion = new Float64Array(ROWS);
const challenger = new Float64Array(ROWS);
for (let i = 0; i < ROWS; i++) {
  const z = Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
  const noise = Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
  champion[i] = (3 * z) ** 2;
  challenger[i] = (2.97 * z + 0.3 * noise) ** 2;
}

const started = performance.now();
const ci = pairedBootstrap({ a: champion, b: challenger, statistic: "rmse", resamples: RESAMPLES, seed: 1 });
const bootstrapMs = performance.now() - started;
const ttest = pairedTTest(challenger, champion);
const wilcoxon = wilcoxonSignedRank(challenger, champion, { correction: true });
const cairnMs = performance.now() - started;
const decision = superiority(ci, "lower", 0);

const dir = mkdtempSync(path.join(os.tmpdir(), "cairn-bench-gate-"));
const script = `
import sys, time, json
import numpy as np
from scipy import stats
a = np.fromfile(sys.argv[1]); b = np.fromfile(sys.argv[2]); B = int(sys.argv[3]); n = a.size
t0 = time.perf_counter()
rng = np.random.default_rng(1)
dist = np.empty(B); chunk = 50
for s in range(0, B, chunk):
    idx = rng.integers(0, n, size=(min(chunk, B - s), n))
    dist[s:s + idx.shape[0]] = np.sqrt(b[idx].mean(axis=1)) - np.sqrt(a[idx].mean(axis=1))
lo, hi = np.percentile(dist, [2.5, 97.5])
t1 = time.perf_counter()
tt = stats.ttest_rel(b, a); w = stats.wilcoxon(b, a, correction=True, method="asymptotic")
t2 = time.perf_counter()
print(json.dumps({"bootstrap_s": t1 - t0, "total_s": t2 - t0, "lower": lo, "upper": hi, "t_p": float(tt.pvalue), "w_p": float(w.pvalue), "numpy": np.__version__}))
`;
try {
  writeFileSync(path.join(dir, "a.f64"), champion);
  writeFileSync(path.join(dir, "b.f64"), challenger);
  const child = spawnSync("python3", ["-c", script, path.join(dir, "a.f64"), path.join(dir, "b.f64"), String(RESAMPLES)], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`numpy reference failed: ${child.stderr}`);
  const numpy = JSON.parse(child.stdout) as { bootstrap_s: number; total_s: number; lower: number; upper: number; t_p: number; w_p: number; numpy: string };
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`gate evaluation: ${ROWS.toLocaleString("en")} rows × ${RESAMPLES.toLocaleString("en")} paired bootstrap resamples (RMSE difference, challenger − champion)`);
  console.log(`Cairn : bootstrap ${s(bootstrapMs)}, with t-test + Wilcoxon ${s(cairnMs)}; CI [${ci.lower.toFixed(5)}, ${ci.upper.toFixed(5)}], t p=${ttest.pValue.toExponential(3)}, Wilcoxon p=${wilcoxon.pValue.toExponential(3)}, superiority ${decision.passed ? "passed" : "failed"}`);
  console.log(`numpy ${numpy.numpy}: bootstrap ${s(numpy.bootstrap_s * 1000)}, with scipy tests ${s(numpy.total_s * 1000)}; CI [${numpy.lower.toFixed(5)}, ${numpy.upper.toFixed(5)}], t p=${numpy.t_p.toExponential(3)}, Wilcoxon p=${numpy.w_p.toExponential(3)}`);
  console.log(`ratio Cairn / numpy: bootstrap ${(bootstrapMs / 1000 / numpy.bootstrap_s).toFixed(2)}, total ${(cairnMs / 1000 / numpy.total_s).toFixed(2)} (target ≤ 1)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
