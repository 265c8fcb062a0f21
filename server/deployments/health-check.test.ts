import { describe, expect, it } from "vitest";
import { healthCheck, metricHigherIsBetter } from "./health-check";
import { ZHealthLimits, type ArmHealth } from "./schemas";

const arm = (over: Partial<ArmHealth> = {}): ArmHealth => ({ versionId: "v", requests: 100, errors: 0, errorRate: 0, p95Ms: 4, metric: null, ...over });
const at = { at: new Date("2026-11-29T09:00:00Z"), windowStart: new Date("2026-11-29T08:55:00Z") };
const limits = ZHealthLimits.parse({ minRequests: 50 });

describe("healthCheck", () => {
  it("is healthy within every limit and names the window", () => {
    const c = healthCheck(limits, arm(), arm({ versionId: "c", errors: 1, errorRate: 0.01, p95Ms: 6 }), at);
    expect(c).toMatchObject({ verdict: "healthy", reasons: [], at: "2026-11-29T09:00:00.000Z", windowStart: "2026-11-29T08:55:00.000Z" });
  });

  it("is insufficient below minRequests, judging nothing (not even a high error rate over a handful of requests)", () => {
    const c = healthCheck(limits, arm(), arm({ requests: 10, errors: 5, errorRate: 0.5 }), at);
    expect(c).toMatchObject({ verdict: "insufficient", reasons: ["candidate requests 10 < 50 needed"] });
  });

  it("fails on the error rate and on the p95 ratio, one reason per limit", () => {
    const c = healthCheck(limits, arm({ p95Ms: 4 }), arm({ requests: 50, errors: 2, errorRate: 0.04, p95Ms: 8 }), at);
    expect(c.verdict).toBe("failing");
    expect(c.reasons).toEqual(["error rate 4.0 % > 1.0 % (2 of 50 requests)", "p95 latency 8.0 ms is 2.00× stable's 4.0 ms > 1.50×"]);
  });

  it("does not judge the p95 ratio when the stable version answered too little to compare with", () => {
    expect(healthCheck(limits, arm({ requests: 3, p95Ms: 1 }), arm({ p95Ms: 50 }), at).verdict).toBe("healthy");
  });

  it("judges the online metric in its direction once both arms have minLabels labels", () => {
    const withMetric = ZHealthLimits.parse({ minRequests: 50, metric: { name: "accuracy", maxDegradation: 0.02, minLabels: 100 } });
    const m = (value: number, labels: number) => ({ name: "accuracy", value, labels });
    expect(healthCheck(withMetric, arm({ metric: m(0.9, 200) }), arm({ metric: m(0.85, 200) }), at).reasons).toEqual(["accuracy 0.8500 vs stable 0.9000: 0.05000 worse > 0.02000 allowed"]);
    // Better, or too few labels on one arm: not failing.
    expect(healthCheck(withMetric, arm({ metric: m(0.9, 200) }), arm({ metric: m(0.95, 200) }), at).verdict).toBe("healthy");
    expect(healthCheck(withMetric, arm({ metric: m(0.9, 200) }), arm({ metric: m(0.5, 99) }), at).verdict).toBe("healthy");
    // Lower is better for rmse: a higher candidate value is the degradation.
    const rmse = ZHealthLimits.parse({ minRequests: 50, metric: { name: "rmse", maxDegradation: 1, minLabels: 10 } });
    const r = (value: number) => ({ name: "rmse", value, labels: 10 });
    expect(healthCheck(rmse, arm({ metric: r(2) }), arm({ metric: r(3.5) }), at).verdict).toBe("failing");
    expect(healthCheck(rmse, arm({ metric: r(2) }), arm({ metric: r(0.5) }), at).verdict).toBe("healthy");
    expect([metricHigherIsBetter("rmse"), metricHigherIsBetter("rocAuc"), metricHigherIsBetter("nope")]).toEqual([false, true, null]);
  });
});
