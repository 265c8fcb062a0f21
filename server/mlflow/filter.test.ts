/** MLflow's search syntax read and translated into Cairn's runs filter; errors name what is wrong. */
import { describe, expect, it } from "vitest";
import { compileFilter, compileSort } from "../runs/filter";
import { likeMatcher, pageOffset, pageToken, parseMlflowFilter, runsFilterToCairn, runsSortToCairn } from "./filter";

describe("MLflow filters", () => {
  it("reads clauses with every key quoting MLflow allows", () => {
    expect(parseMlflowFilter("metrics.rmse < 1 and params.depth = '6' AND tags.`team name` != \"ops\" and metrics.\"val loss\" >= -2.5e-1")).toEqual([
      { type: "metric", key: "rmse", op: "<", value: 1 },
      { type: "param", key: "depth", op: "=", value: "6" },
      { type: "tag", key: "team name", op: "!=", value: "ops" },
      { type: "metric", key: "val loss", op: ">=", value: -0.25 },
    ]);
    expect(parseMlflowFilter("attributes.run_id NOT IN ('a', 'b') and run_name ilike '%x%'")).toEqual([
      { type: "attribute", key: "run_id", op: "NOT IN", value: ["a", "b"] },
      { type: "attribute", key: "run_name", op: "ILIKE", value: "%x%" },
    ]);
    expect(parseMlflowFilter("")).toEqual([]);
  });

  it("translates into Cairn's filter language, which compiles", () => {
    const cairn = runsFilterToCairn("metrics.rmse < 1 and params.depth = '6' and tags.x = 'y' and attributes.status = 'SCHEDULED' and attributes.start_time > 1700000000000 and tags.mlflow.runName LIKE 'a%'");
    expect(cairn).toBe('metrics.`rmse` < 1 and params.`depth` = "6" and tags.`x` = "y" and status = "QUEUED" and started > "2023-11-14T22:13:20.000Z" and name like "a%"');
    const compiled = compileFilter(cairn, 1);
    expect(compiled.params).toEqual(["rmse", 1, "depth", "6", "x", "y", "QUEUED", "2023-11-14T22:13:20.000Z", "a%"]);
    expect(compiled.sql).toContain(`r.name::text LIKE $9`);
    expect(runsFilterToCairn(`params.q = 'say "hi" \\\\ now'`)).toBe('params.`q` = "say \\"hi\\" \\\\ now"');
    expect(compileFilter(runsFilterToCairn(`params.q = 'say "hi"'`), 1).params).toEqual(["q", 'say "hi"']);
    expect(runsFilterToCairn("attributes.run_id IN ('a','b')")).toBe('id in ("a", "b")');
    expect(runsSortToCairn("metrics.`val loss` ASC")).toEqual({ by: "metrics.`val loss`", dir: "asc" });
    expect(compileSort(runsSortToCairn("attributes.start_time").by, 1).sql).toBe(`r."startedAt"`);
  });

  it("refuses what MLflow would refuse, naming the problem", () => {
    expect(() => parseMlflowFilter("params.a = '1' or params.b = '2'")).toThrow(/AND only/);
    expect(() => parseMlflowFilter("metrics.rmse <")).toThrow(/end of the filter/);
    expect(() => parseMlflowFilter("colour.x = '1'")).toThrow(/unknown field/);
    expect(() => parseMlflowFilter("params.a = '1")).toThrow(/unterminated/);
    expect(() => runsFilterToCairn("metrics.rmse < 'low'")).toThrow(/number/);
    expect(() => runsFilterToCairn("params.depth = 6")).toThrow(/quote the value/);
    expect(() => runsFilterToCairn("attributes.artifact_uri = 'x'")).toThrow(/unknown run attribute/);
    expect(() => runsFilterToCairn("metrics.rmse LIKE '1%'")).toThrow(/compares text/);
    expect(() => parseMlflowFilter(Array.from({ length: 51 }, (_, i) => `params.p${i} = '1'`).join(" and "))).toThrow(/50 clauses/);
  });

  it("matches LIKE patterns as SQL does and round-trips page tokens", () => {
    expect(likeMatcher("mlf%", false)("mlflow")).toBe(true);
    expect(likeMatcher("mlf%", false)("MLflow")).toBe(false);
    expect(likeMatcher("mlf%", true)("MLflow")).toBe(true);
    expect(likeMatcher("a_c", false)("abc")).toBe(true);
    expect(likeMatcher("a.c", false)("abc")).toBe(false);
    expect(pageOffset(pageToken(40))).toBe(40);
    expect(pageOffset(undefined)).toBe(0);
    expect(() => pageOffset("garbage")).toThrow(/page_token/);
  });
});
