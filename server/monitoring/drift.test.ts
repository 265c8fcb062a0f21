import { describe, expect, it } from "vitest";
import { calibrationRows } from "./drift";
import { producedBy } from "./reports";

describe("calibrationRows", () => {
  it("rounds window sizes down to two significant digits, leaving small windows as they are", () => {
    expect([1, 37, 99, 100, 101, 1234, 9999, 10_500, 123_456].map(calibrationRows)).toEqual([1, 37, 99, 100, 100, 1200, 9900, 10_000, 120_000]);
  });
});

describe("producedBy (the chain's links of a retraining run)", () => {
  it("takes the model version, gate report and deployment from the steps' outputs, the last of each", () => {
    const steps = [
      { outputs: { datasetVersionId: "dv1" } },
      { outputs: { runId: "r1", modelVersionId: "mv1", modelVersion: 3 } },
      { outputs: { gateReportId: "g1", passed: false } },
      { outputs: { gateReportId: "g2", passed: true } },
      { outputs: null },
      { outputs: { deploymentId: "d1", deploymentName: "eta" } },
    ];
    expect(producedBy(steps)).toEqual({ modelVersion: { id: "mv1", number: 3 }, gate: { reportId: "g2", passed: true }, deployment: { id: "d1", name: "eta" } });
    expect(producedBy([{ outputs: { datasetVersionId: "dv1" } }])).toEqual({ modelVersion: null, gate: null, deployment: null });
  });
});
