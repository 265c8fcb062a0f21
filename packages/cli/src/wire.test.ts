import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { projectLocation } from "./client.js";
import { fromSuperjson, restError, toSuperjson, trpcError } from "./wire.js";

describe("the tRPC wire format without superjson", () => {
  it("reads what superjson writes: dates, NaN/Infinity/-0, undefined, dotted keys, a root date", () => {
    const value = { a: new Date(0), b: [{ v: NaN }, { v: 1 }, { v: -Infinity }, { v: -0 }], c: { d: new Date(5), e: undefined }, "x.y": new Date(1), s: "NaN" };
    const decoded = fromSuperjson<typeof value>(superjson.serialize(value) as { json: unknown });
    expect(decoded).toEqual(value);
    expect(Object.is(decoded.b[3]!.v, -0)).toBe(true);
    expect(decoded.s).toBe("NaN");
    expect(fromSuperjson(superjson.serialize(new Date(7)) as { json: unknown })).toEqual(new Date(7));
    expect(fromSuperjson({ json: { n: 1 } })).toEqual({ n: 1 });
  });

  it("writes what superjson reads back", () => {
    const input = { points: [{ key: "loss", value: NaN }, { key: "k.1", value: Infinity }, { key: "z", value: 2 }], at: new Date(3), skip: undefined };
    const wire = toSuperjson(input);
    expect(superjson.deserialize(JSON.parse(JSON.stringify(wire)) as Parameters<typeof superjson.deserialize>[0])).toEqual({ points: input.points, at: input.at });
    expect(toSuperjson({ a: 1 })).toEqual({ json: { a: 1 } });
  });

  it("turns both error shapes into one error with the API's message", () => {
    const t = trpcError(401, { error: { json: { message: "Sign in or send an API token", data: { code: "UNAUTHORIZED", httpStatus: 401 } } } });
    expect([t.status, t.code, t.message]).toEqual([401, "UNAUTHORIZED", "Sign in or send an API token"]);
    const problems = [{ line: 3, column: 5, path: "steps.0.uses", message: "unknown step kind" }];
    const r = restError(400, { error: { code: "BAD_REQUEST", message: "cairn.yaml has 1 problem", problems } });
    expect([r.status, r.code, r.message, r.details.problems]).toEqual([400, "BAD_REQUEST", "cairn.yaml has 1 problem", problems]);
    expect(restError(502, null).message).toBe("HTTP 502");
    expect(projectLocation("acme/eta")).toEqual({ segment: "eta", org: "acme" });
    expect(projectLocation("cm1234")).toEqual({ segment: "cm1234" });
  });
});
