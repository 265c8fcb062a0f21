#!/usr/bin/python3
"""XGBoost baseline for bench/gbdt.ts: the same CSV, split and hyperparameters, tree_method="hist".

Usage: /usr/bin/python3 bench/gbdt_xgboost.py CSV PARAMS_JSON
CSV has columns f0 … fK, y and split ("train"/"test"); PARAMS_JSON carries rounds, max_depth, eta,
lambda, min_child_weight, max_bin, runs and the thread counts to time. Prints one JSON object with,
per thread count, the best wall-clock and CPU seconds of DMatrix construction plus training.
"""

import json
import os
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb


def main():
    path, params = sys.argv[1], json.loads(sys.argv[2])
    frame = pd.read_csv(path)
    features = [c for c in frame.columns if c.startswith("f")]
    train = frame[frame["split"] == "train"]
    test = frame[frame["split"] == "test"]
    x_train = train[features].to_numpy(dtype=np.float32)
    y_train = train["y"].to_numpy(dtype=np.float64)
    x_test = test[features].to_numpy(dtype=np.float32)
    y_test = test["y"].to_numpy(dtype=np.float64)
    base_score = float(np.mean(y_train))

    results = []
    for nthread in params["threads"]:
        booster_params = {
            "objective": "reg:squarederror",
            "tree_method": "hist",
            "max_depth": params["max_depth"],
            "eta": params["eta"],
            "lambda": params["lambda"],
            "min_child_weight": params["min_child_weight"],
            "max_bin": params["max_bin"],
            "base_score": base_score,
            "nthread": nthread,
        }
        best = None
        best_cpu = None
        for _ in range(params["runs"]):
            start, start_cpu = time.perf_counter(), time.process_time()
            dtrain = xgb.DMatrix(x_train, label=y_train, missing=np.nan, nthread=nthread)
            booster = xgb.train(booster_params, dtrain, num_boost_round=params["rounds"])
            seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
            best = seconds if best is None else min(best, seconds)
            best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        prediction = booster.predict(xgb.DMatrix(x_test, missing=np.nan, nthread=nthread))
        rmse = float(np.sqrt(np.mean((prediction - y_test) ** 2)))
        results.append({"nthread": nthread, "fit_s": best, "cpu_s": best_cpu, "test_rmse": rmse})
    print(json.dumps({"xgboost": xgb.__version__, "cpus": os.cpu_count(), "results": results}))


if __name__ == "__main__":
    main()
