import { describe, expect, it } from "vitest";
import { featureAdvice } from "./feature-advice";

describe("feature advice", () => {
  it("flags identifiers by name or by distinct share, and constants; keeps measurements and categories", () => {
    const numeric = { kind: "numeric" };
    const categorical = { kind: "categorical" };
    expect(
      featureAdvice([
        { name: "delivery_id", type: "integer", count: 1000, distinct: 1000, histogram: numeric },
        { name: "ticket", type: "string", count: 1000, distinct: 990, histogram: null },
        { name: "distance_km", type: "float", count: 1000, distinct: 1000, histogram: numeric },
        { name: "region", type: "string", count: 1000, distinct: 5, histogram: categorical },
        { name: "country", type: "string", count: 1000, distinct: 1, histogram: categorical },
        { name: "empty", type: "float", count: 0, distinct: 0, histogram: null },
      ]),
    ).toEqual([
      { column: "delivery_id", reason: "identifier", detail: "named like an identifier" },
      { column: "ticket", reason: "identifier", detail: "a distinct value in almost every row" },
      { column: "country", reason: "constant", detail: "the same value in every row" },
      { column: "empty", reason: "constant", detail: "no values" },
    ]);
  });
});
