#!/usr/bin/python3
"""Validates an ONNX model read from stdin with onnx.checker (full check, including shape inference).

Used by the trainers' ONNX tests: `/usr/bin/python3 server/ml/onnx/check_model.py < model.onnx`.
Prints one JSON object: {"ok": true, "onnx": version} or {"ok": false, "error": message}.
"""

import json
import sys

import onnx


def main():
    data = sys.stdin.buffer.read()
    try:
        model = onnx.load_model_from_string(data)
        onnx.checker.check_model(model, full_check=True)
        print(json.dumps({"ok": True, "onnx": onnx.__version__}))
    except Exception as error:  # noqa: BLE001 — any failure is the answer
        print(json.dumps({"ok": False, "onnx": onnx.__version__, "error": str(error)}))


if __name__ == "__main__":
    main()
