"""Example training command for Cairn: a scikit-learn linear model exported to ONNX.

Cairn's worker runs it with the run's environment (see the README, "Training commands"):
CAIRN_TRAIN_PATH / CAIRN_VALIDATION_PATH (CSV splits), CAIRN_TARGET, CAIRN_FEATURES (JSON list),
CAIRN_OUTPUT_DIR (write model.onnx there), and CAIRN_API_URL / CAIRN_TOKEN / CAIRN_RUN_ID, which
cairn_tracking uses to log metrics to this run. Needs python3 with numpy, scikit-learn and onnx
(Debian: python3-sklearn python3-onnx).

    python3 examples/sklearn-sgd/train.py --epochs 20
"""

import argparse
import csv
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.linear_model import SGDRegressor
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import cairn_tracking as cairn


def read_csv(path, target, features):
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return rows, np.array([float(r[target]) for r in rows])


def numeric_columns(rows, features):
    """Features whose values all parse as numbers; the others are treated as categories."""
    numeric = []
    for f in features:
        try:
            for r in rows:
                if r[f] != "":
                    float(r[f])
            numeric.append(f)
        except ValueError:
            pass
    return numeric


def matrix(rows, numeric, categorical, encoder, medians):
    num = np.array([[float(r[f]) if r[f] != "" else medians[i] for i, f in enumerate(numeric)] for r in rows], dtype=np.float64)
    cat = encoder.transform([[r[f] for f in categorical] for r in rows]) if categorical else np.zeros((len(rows), 0))
    return np.hstack([num, cat])


def export_onnx(numeric, categorical, encoder, medians, scaler, model, path):
    """Per-column inputs (numeric: float [N,1], categorical: string [N,1]) → one-hot → scale → linear."""
    nodes, inputs, parts, inits = [], [], [], []
    for i, f in enumerate(numeric):
        inputs.append(helper.make_tensor_value_info(f, TensorProto.FLOAT, ["N", 1]))
        # A missing value (NaN) takes the training median, as in training.
        inits.append(helper.make_tensor(f"median_{i}", TensorProto.FLOAT, [1], [medians[i]]))
        nodes.append(helper.make_node("IsNaN", [f], [f"isnan_{i}"]))
        nodes.append(helper.make_node("Where", [f"isnan_{i}", f"median_{i}", f], [f"filled_{i}"]))
        parts.append(f"filled_{i}")
    for j, f in enumerate(categorical):
        inputs.append(helper.make_tensor_value_info(f, TensorProto.STRING, ["N", 1]))
        cats = [str(c) for c in encoder.categories_[j]]
        nodes.append(helper.make_node("OneHotEncoder", [f], [f"onehot3_{j}"], domain="ai.onnx.ml", cats_strings=cats, zeros=1))
        inits.append(helper.make_tensor(f"shape_{j}", TensorProto.INT64, [2], [-1, len(cats)]))
        nodes.append(helper.make_node("Reshape", [f"onehot3_{j}", f"shape_{j}"], [f"onehot_{j}"]))
        parts.append(f"onehot_{j}")
    nodes.append(helper.make_node("Concat", parts, ["x"], axis=1))
    inits += [
        helper.make_tensor("mean", TensorProto.FLOAT, [len(scaler.mean_)], scaler.mean_.astype(np.float32).tolist()),
        helper.make_tensor("scale", TensorProto.FLOAT, [len(scaler.scale_)], scaler.scale_.astype(np.float32).tolist()),
        helper.make_tensor("coef", TensorProto.FLOAT, [len(model.coef_), 1], model.coef_.astype(np.float32).tolist()),
        helper.make_tensor("intercept", TensorProto.FLOAT, [1], [float(model.intercept_[0])]),
    ]
    nodes += [
        helper.make_node("Sub", ["x", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "scale"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "coef"], ["product"]),
        helper.make_node("Add", ["product", "intercept"], ["prediction"]),
    ]
    graph = helper.make_graph(nodes, "sgd_regressor", inputs, [helper.make_tensor_value_info("prediction", TensorProto.FLOAT, ["N", 1])], inits)
    model_proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 1)], producer_name="cairn-example")
    model_proto.ir_version = 8
    onnx.checker.check_model(model_proto)
    onnx.save(model_proto, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--alpha", type=float, default=1e-4)
    args = parser.parse_args()

    target = os.environ["CAIRN_TARGET"]
    features = json.loads(os.environ["CAIRN_FEATURES"])
    train_rows, y_train = read_csv(os.environ["CAIRN_TRAIN_PATH"], target, features)
    valid_rows, y_valid = read_csv(os.environ["CAIRN_VALIDATION_PATH"], target, features)
    numeric = numeric_columns(train_rows, features)
    categorical = [f for f in features if f not in numeric]
    medians = [float(np.median([float(r[f]) for r in train_rows if r[f] != ""])) for f in numeric]
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit([[r[f] for f in categorical] for r in train_rows]) if categorical else None
    x_train = matrix(train_rows, numeric, categorical, encoder, medians)
    x_valid = matrix(valid_rows, numeric, categorical, encoder, medians)
    scaler = StandardScaler().fit(x_train)
    scaler.scale_[scaler.scale_ == 0] = 1.0
    x_train, x_valid = scaler.transform(x_train), scaler.transform(x_valid)
    print(f"{len(train_rows)} train rows, {len(valid_rows)} validation rows; numeric {numeric}; categorical {categorical}")

    run = cairn.start_run(params={"model": "SGDRegressor", "epochs": args.epochs, "alpha": args.alpha})
    model = SGDRegressor(alpha=args.alpha, learning_rate="invscaling", eta0=0.01, random_state=0)
    for epoch in range(args.epochs):
        model.partial_fit(x_train, y_train)
        train_rmse = math.sqrt(float(np.mean((model.predict(x_train) - y_train) ** 2)))
        valid_rmse = math.sqrt(float(np.mean((model.predict(x_valid) - y_valid) ** 2)))
        run.log_metrics({"train_rmse": train_rmse, "valid_rmse": valid_rmse}, step=epoch)
        print(f"epoch {epoch}: train_rmse={train_rmse:.4f} valid_rmse={valid_rmse:.4f}", flush=True)
    run.flush()

    out = os.environ["CAIRN_OUTPUT_DIR"]
    export_onnx(numeric, categorical, encoder, medians, scaler, model, os.path.join(out, "model.onnx"))
    with open(os.path.join(out, "params.json"), "w") as fh:
        json.dump({"numeric": numeric, "categorical": categorical, "epochs": args.epochs}, fh, indent=2)
    print("wrote model.onnx")


if __name__ == "__main__":
    sys.exit(main())
