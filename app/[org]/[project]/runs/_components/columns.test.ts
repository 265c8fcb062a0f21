import { describe, expect, it } from "vitest";
import { columnId, parseColumnId, sortField } from "./columns";

describe("columns", () => {
  it("round-trips ids and maps them to the filter language's sort fields", () => {
    for (const [id, field] of [
      ["metrics.rmse", "metrics.rmse"],
      ["min(metrics.val/loss)", "min(metrics.val/loss)"],
      ["params.optimizer.lr", "params.optimizer.lr"],
      ["tags.team", "tags.team"],
      ["params.weird key", "params.`weird key`"],
    ]) {
      const column = parseColumnId(id!)!;
      expect(columnId(column.kind, column.key, column.agg)).toBe(id);
      expect(sortField(column)).toBe(field);
    }
  });

  it("refuses what it cannot read or sort", () => {
    expect(parseColumnId("created")).toBeNull();
    expect(sortField(parseColumnId("params.a`b")!)).toBeNull();
  });
});
