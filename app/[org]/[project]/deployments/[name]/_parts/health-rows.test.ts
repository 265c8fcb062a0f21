import { describe, expect, it } from "vitest";
import { healthRows } from "./health-rows";

describe("health chart rows", () => {
  it("pivots points to one row per bucket with rates per second, error shares and latencies per version", () => {
    const rows = healthRows({
      deploymentId: "d",
      bucketSeconds: 60,
      from: "2026-11-29T09:00:00.000Z",
      to: "2026-11-29T09:02:00.000Z",
      versions: [
        { versionId: "a", number: 1, role: "stable" },
        { versionId: "b", number: 2, role: "candidate" },
      ],
      points: [
        { t: "2026-11-29T09:01:00.000Z", versionId: "a", requests: 120, errors: 0, p50Ms: 2, p95Ms: 4 },
        { t: "2026-11-29T09:00:00.000Z", versionId: "a", requests: 60, errors: 3, p50Ms: 1.5, p95Ms: 3 },
        { t: "2026-11-29T09:00:00.000Z", versionId: "b", requests: 0, errors: 0, p50Ms: null, p95Ms: null },
      ],
    });
    expect(rows.names).toEqual(["v1 stable", "v2 candidate"]);
    expect(rows.rate.map((r) => r["v1 stable"])).toEqual([1, 2]);
    expect(rows.errors[0]).toMatchObject({ "v1 stable": 5, "v2 candidate": null });
    expect(rows.latency[1]).toMatchObject({ "v1 stable p50": 2, "v1 stable p95": 4 });
    expect(rows.latency[1]!["v2 candidate p95"]).toBeUndefined();
    expect(rows.total).toBe(180);
  });

  it("cuts the quiet start of the window down to two buckets before the first request", () => {
    const t = (m: number) => `2026-11-29T09:${String(m).padStart(2, "0")}:00.000Z`;
    const points = Array.from({ length: 10 }, (_, m) => ({ t: t(m), versionId: "a", requests: m >= 7 ? 5 : 0, errors: 0, p50Ms: null, p95Ms: null }));
    const rows = healthRows({ deploymentId: "d", bucketSeconds: 60, from: t(0), to: t(9), versions: [{ versionId: "a", number: 1, role: "stable" }], points });
    expect(rows.rate).toHaveLength(5);
    expect(rows.rate.map((r) => r["v1 stable"])).toEqual([0, 0, 5 / 60, 5 / 60, 5 / 60]);
    const quiet = healthRows({ deploymentId: "d", bucketSeconds: 60, from: t(0), to: t(9), versions: [{ versionId: "a", number: 1, role: "stable" }], points: points.map((p) => ({ ...p, requests: 0 })) });
    expect(quiet.rate).toEqual([]);
    expect(quiet.total).toBe(0);
  });
});
