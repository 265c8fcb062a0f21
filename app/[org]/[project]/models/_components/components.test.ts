import { describe, expect, it } from "vitest";
import { gateState } from "./gate-state";
import { lineOf } from "./lines";
import { headlineMetric } from "./metrics";

describe("models UI helpers", () => {
  it("names a gate report's state from its status and outcome", () => {
    expect(gateState(null)).toBe("none");
    expect(gateState({ status: "PENDING", passed: null })).toBe("pending");
    expect(gateState({ status: "RUNNING", passed: null })).toBe("running");
    expect(gateState({ status: "FAILED", passed: null })).toBe("error");
    expect(gateState({ status: "DONE", passed: true })).toBe("passed");
    expect(gateState({ status: "DONE", passed: false })).toBe("failed");
  });

  it("reads the line a server message names", () => {
    expect(lineOf("line 12 (checks.champion.min_efect): Unrecognized key")).toBe(12);
    expect(lineOf('line 3: All mapping items must start at the same column')).toBe(3);
    expect(lineOf("checks.champion: non_inferiority needs a margin")).toBeNull();
    expect(lineOf(null)).toBeNull();
  });

  it("shows the project's primary metric where the snapshot has it, else the task's headline", () => {
    const metrics = { rmse: 3.4, mae: 2.8, r2: 0.91 };
    expect(headlineMetric("regression", metrics, "mae")).toEqual({ key: "mae", value: 2.8 });
    expect(headlineMetric("regression", metrics, "val_loss")).toEqual({ key: "rmse", value: 3.4 });
    expect(headlineMetric("binary", { rocAuc: 0.8 }, null)).toEqual({ key: "rocAuc", value: 0.8 });
    expect(headlineMetric("binary", { accuracy: 0.8 }, null)).toBeNull();
    expect(headlineMetric("regression", null, "rmse")).toBeNull();
  });
});
