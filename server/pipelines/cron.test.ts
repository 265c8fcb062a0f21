import { describe, expect, it } from "vitest";
import { cronProblem, nextCronRuns } from "./cron";

describe("cron schedules", () => {
  it("computes the next runs in UTC, strictly after the given time", () => {
    const from = new Date("2026-11-29T03:00:00Z");
    expect(nextCronRuns("0 3 * * *", from, 2).map((d) => d.toISOString())).toEqual(["2026-11-30T03:00:00.000Z", "2026-12-01T03:00:00.000Z"]);
    expect(nextCronRuns("*/15 * * * 1-5", new Date("2026-11-28T23:50:00Z"), 2).map((d) => d.toISOString())).toEqual([
      "2026-11-30T00:00:00.000Z", // 28 Nov 2026 is a Saturday: the next weekday is Monday 30 Nov
      "2026-11-30T00:15:00.000Z",
    ]);
  });

  it("refuses expressions that are not five valid fields", () => {
    expect(cronProblem("0 3 * * *")).toBeNull();
    expect(cronProblem("* * *")).toMatch(/5 fields/);
    expect(cronProblem("61 * * * *")).toMatch(/not a cron schedule/);
    expect(() => nextCronRuns("nope", new Date(), 1)).toThrow(/5 fields/);
  });
});
