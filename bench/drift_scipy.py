#!/usr/bin/python3
"""The numpy/scipy side of bench/drift.ts: the same statistics on the same columns, timed per family.

Usage (called by bench/drift.ts): drift_scipy.py <data file> <json layout>
The layout lists the columns in file order: {"rows": n, "columns": [{"kind": "numeric"} | {"kind": "categorical", "k": K}]};
each column is its reference then its current rows (float64 little-endian, or uint8 category codes).
Prints one JSON object: seconds per family and the statistics of every column.
"""

import json
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

PSI_EPSILON = 1e-4


def psi(e, a):
    e = e / e.sum()
    a = a / a.sum()
    e = np.where(e == 0, PSI_EPSILON, e)
    a = np.where(a == 0, PSI_EPSILON, a)
    return float(np.sum((a - e) * np.log(a / e)))


def chi(rc, cc):
    table = np.vstack([rc, cc]).astype(float)
    table = table[:, table.sum(axis=0) > 0]
    return float(stats.chi2_contingency(table, correction=False)[0])


def main():
    path, layout = sys.argv[1], json.loads(sys.argv[2])
    rows = layout["rows"]
    offset = 0
    hist_s = ks_s = w_s = 0.0
    out = []
    for col in layout["columns"]:
        if col["kind"] == "numeric":
            ref = np.fromfile(path, dtype="<f8", count=rows, offset=offset)
            cur = np.fromfile(path, dtype="<f8", count=rows, offset=offset + 8 * rows)
            offset += 16 * rows
            t = time.perf_counter()
            cuts = np.histogram_bin_edges(ref, bins=20)[1:-1]
            rc = np.bincount(np.searchsorted(cuts, ref, side="left"), minlength=len(cuts) + 1)
            cc = np.bincount(np.searchsorted(cuts, cur, side="left"), minlength=len(cuts) + 1)
            r = {"psi": psi(rc, cc), "js": float(distance.jensenshannon(rc, cc)), "chi": chi(rc, cc)}
            hist_s += time.perf_counter() - t
            t = time.perf_counter()
            ks = stats.ks_2samp(ref, cur)
            ks_s += time.perf_counter() - t
            t = time.perf_counter()
            w = stats.wasserstein_distance(ref, cur)
            w_s += time.perf_counter() - t
            r.update({"ks": float(ks.statistic), "ksP": float(ks.pvalue), "wasserstein": float(w)})
        else:
            ref = np.fromfile(path, dtype=np.uint8, count=rows, offset=offset)
            cur = np.fromfile(path, dtype=np.uint8, count=rows, offset=offset + rows)
            offset += 2 * rows
            t = time.perf_counter()
            rc = np.bincount(ref, minlength=col["k"])
            cc = np.bincount(cur, minlength=col["k"])
            r = {"psi": psi(rc, cc), "js": float(distance.jensenshannon(rc, cc)), "chi": chi(rc, cc)}
            hist_s += time.perf_counter() - t
        out.append(r)
    print(json.dumps({"histS": hist_s, "ksS": ks_s, "wassersteinS": w_s, "columns": out, "versions": {"numpy": np.__version__}}))


if __name__ == "__main__":
    main()
