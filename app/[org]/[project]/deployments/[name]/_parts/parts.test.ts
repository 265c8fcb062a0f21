import { describe, expect, it } from "vitest";
import { parseSteps } from "./candidate-form";
import { curlExample, exampleInstance } from "./curl-example";

describe("deployment page helpers", () => {
  it("builds an instance from the encoding spec, a training category for categoricals", () => {
    const spec = {
      features: [
        { name: "distance_km", kind: "numeric" as const },
        { name: "rush_hour", kind: "boolean" as const },
        { name: "day", kind: "date" as const },
        { name: "region", kind: "categorical" as const, categories: ["north", "south"] },
        { name: "courier", kind: "categorical" as const, categories: null },
      ],
    };
    expect(exampleInstance(spec, [])).toEqual({ distance_km: 0, rush_hour: false, day: "2026-01-01", region: "north", courier: "" });
  });

  it("falls back to the graph's inputs when the file carries no encoding spec", () => {
    expect(exampleInstance(null, [{ name: "x", type: "tensor(float)" }, { name: "city", type: "tensor(string)" }])).toEqual({ x: 0, city: "" });
  });

  it("quotes the body for the shell, a quote in a category included", () => {
    const text = curlExample("http://localhost:3001/v2/models/eta/infer", { region: "o'hare" });
    expect(text).toContain(`-H "Authorization: Bearer $CAIRN_TOKEN"`);
    expect(text).toContain(`"region": "o'\\''hare"`);
    // What the shell passes on is the JSON body itself.
    const quoted = /-d '([\s\S]*)'$/.exec(text)![1]!.replaceAll(`'\\''`, "'");
    expect(JSON.parse(quoted)).toEqual({ instances: [{ region: "o'hare" }] });
    const many = curlExample("http://x/v2/models/eta/infer", { distance_km: 0, rush_hour: false, region: "north" });
    expect(JSON.parse(/-d '([\s\S]*)'$/.exec(many)![1]!)).toEqual({ instances: [{ distance_km: 0, rush_hour: false, region: "north" }] });
    expect(many.split("\n")).toHaveLength(8);
    expect(text.split("\n")[0]).toBe("curl -sS -X POST 'http://localhost:3001/v2/models/eta/infer' \\");
  });

  it("reads canary steps as people write them, leaving junk for the server to name", () => {
    expect(parseSteps("5, 25, 50, 100")).toEqual([5, 25, 50, 100]);
    expect(parseSteps("5 → 25 → 100")).toEqual([5, 25, 100]);
    expect(parseSteps("5, x")).toEqual([5, NaN]);
  });
});
