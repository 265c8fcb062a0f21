import { describe, expect, it } from "vitest";
import { defaultColumns, rankingMetric } from "./columns";
import type { RunRow } from "./types";

let next = 0;
const run = (params: Record<string, unknown>, metrics: string[]): RunRow => ({
  id: `run${++next}`,
  projectId: "p",
  experimentId: "e",
  experiment: "e",
  number: next,
  name: `run-${next}`,
  status: "FINISHED",
  params,
  tags: {},
  note: "",
  code: { repo: null, commit: null, dirty: null },
  environment: null,
  createdBy: "test",
  createdAt: new Date(0),
  startedAt: null,
  endedAt: null,
  archivedAt: null,
  metrics: metrics.map((key) => ({ key, count: 1, last: 1, lastStep: 0, min: 1, max: 1 })),
});

describe("default runs-table columns", () => {
  const runs = [
    run({ trainer: "gbdt", "gbdt.rounds": 100, "a.constant": 1 }, ["test/mae", "test/rmse", "train_rmse", "valid_rmse"]),
    run({ trainer: "gbdt", "gbdt.rounds": 300, "a.constant": 1 }, ["test/mae", "test/rmse", "train_rmse", "valid_rmse"]),
    run({ trainer: "ridge", "ridge.alpha": 1, "a.constant": 1 }, ["test/mae", "test/rmse"]),
  ];

  it("puts the ranking metric first, then test metrics, then params that vary (not alphabetical, not constant)", () => {
    expect(defaultColumns(runs, null)).toEqual(["metrics.test/rmse", "metrics.test/mae", "params.trainer", "params.gbdt.rounds"]);
  });

  it("follows the project's primary metric", () => {
    expect(rankingMetric(runs, "valid_rmse")).toBe("valid_rmse");
    expect(defaultColumns(runs, "valid_rmse").slice(0, 2)).toEqual(["metrics.valid_rmse", "metrics.test/mae"]);
  });

  it("never shows more than four data columns, and fills with metrics when params are few", () => {
    const metricsOnly = [run({}, ["a", "b", "c", "d", "e", "f", "g"])];
    expect(defaultColumns(metricsOnly, null)).toEqual(["metrics.a", "metrics.b", "metrics.c", "metrics.d"]);
    const oneParam = [run({ p: 1 }, ["a", "b", "c", "d"]), run({ p: 2 }, ["a", "b", "c", "d"])];
    expect(defaultColumns(oneParam, null)).toEqual(["metrics.a", "metrics.b", "metrics.c", "params.p"]);
    expect(defaultColumns([], null)).toEqual([]);
  });
});
