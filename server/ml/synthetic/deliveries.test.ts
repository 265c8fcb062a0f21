import { describe, expect, it } from "vitest";
import { deliveriesCsv, deliveryRows, DELIVERY_COLUMNS } from "./deliveries";

describe("synthetic deliveries", () => {
  it("is deterministic for a seed and different across seeds", () => {
    expect(deliveriesCsv(500, 1)).toBe(deliveriesCsv(500, 1));
    expect(deliveriesCsv(500, 1)).not.toBe(deliveriesCsv(500, 2));
  });

  it("has plausible values: positive minutes that grow with distance", () => {
    const rows = deliveryRows(5000);
    const m = DELIVERY_COLUMNS.indexOf("minutes");
    const d = DELIVERY_COLUMNS.indexOf("distance_km");
    expect(rows.every((r) => Number(r[m]) >= 3)).toBe(true);
    const near = rows.filter((r) => Number(r[d]) < 2).map((r) => Number(r[m]));
    const far = rows.filter((r) => Number(r[d]) > 8).map((r) => Number(r[m]));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(far)).toBeGreaterThan(mean(near) * 2);
  });
});
