/** Dynamic batching around a real ONNX Runtime scorer: who shares a run, and that every answer is its own. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScorer, type Scorer } from "../evaluation/score";
import { encodeTrainingData, ENCODING_METADATA_KEY, fitEncodingSpec, type EncodingSpec, type RawRow } from "../ml/features";
import { DELIVERY_COLUMNS, deliveryRows } from "../ml/synthetic/deliveries";
import { gbdt } from "../ml/trainers";
import { batchingScorer } from "./batcher";

let scorer: Scorer & { spec: EncodingSpec };
let rows: RawRow[];
let alone: number[];

beforeAll(async () => {
  const records = deliveryRows(400, 3).map((cells) => Object.fromEntries(DELIVERY_COLUMNS.map((c, i) => [c, cells[i]!])));
  const spec = fitEncodingSpec(records, { features: DELIVERY_COLUMNS.filter((c) => c !== "delivery_id" && c !== "minutes"), target: { name: "minutes", task: "regression" } });
  const bytes = gbdt(encodeTrainingData(spec, records), { task: "regression", rounds: 30, maxDepth: 4 }).model.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec) });
  scorer = await createScorer(bytes, { spec, threads: 1 });
  rows = records.slice(0, 60);
  // Each row scored in a run of its own: what an unbatched server answers.
  alone = [];
  for (const row of rows) alone.push((await scorer.score([row]))[0]!);
});

afterAll(() => scorer?.release());

/** The batching scorer and the runs it made, as [requests, rows]. */
function batching(maxRows: number, inner: Scorer = scorer) {
  const runs: [number, number][] = [];
  return { s: batchingScorer(inner, { maxRows, onRun: (requests, n) => runs.push([requests, n]) }), runs };
}

describe("batchingScorer", () => {
  it("scores requests that wait at once in one run, and each gets exactly its own rows' predictions", async () => {
    const { s, runs } = batching(256);
    // 60 one-row requests and one of three rows, all made in the same turn of the event loop.
    const answers = await Promise.all([...rows.map((r) => s.score([r])), s.score(rows.slice(5, 8))]);
    expect(runs).toEqual([[61, 63]]);
    answers.slice(0, 60).forEach((a, i) => expect(Array.from(a)).toEqual([alone[i]]));
    expect(Array.from(answers[60]!)).toEqual(alone.slice(5, 8));
    // A request made later is not held back for company.
    expect(Array.from(await s.score([rows[0]!]))).toEqual([alone[0]]);
    expect(runs.at(-1)).toEqual([1, 1]);
  });

  it("keeps a run within maxRows, scores a request of maxRows rows or more alone, and does not batch at maxRows 1", async () => {
    const { s, runs } = batching(10);
    const answers = await Promise.all([...rows.slice(0, 25).map((r) => s.score([r])), s.score(rows.slice(0, 12))]);
    expect(runs.map(([, n]) => n).sort((a, b) => a - b)).toEqual([5, 10, 10, 12]);
    expect(runs.every(([requests, n]) => n <= 10 || requests === 1)).toBe(true);
    answers.slice(0, 25).forEach((a, i) => expect(Array.from(a)).toEqual([alone[i]]));
    expect(Array.from(answers[25]!)).toEqual(alone.slice(0, 12));

    const off = batching(1);
    await Promise.all(rows.slice(0, 5).map((r) => off.s.score([r])));
    expect(off.runs).toEqual([[1, 1], [1, 1], [1, 1], [1, 1], [1, 1]]);
  });

  it("fails only the request whose rows fail: the others of its run are scored again alone and answered", async () => {
    // The real scorer, refusing any run that holds the poisoned row (as ONNX Runtime would a bad tensor).
    const poisoned = { ...rows[3]! };
    const picky: Scorer = { ...scorer, score: (r) => (r.includes(poisoned) ? Promise.reject(new Error("bad row")) : scorer.score(r)) };
    const { s, runs } = batching(256, picky);
    const results = await Promise.allSettled([s.score([rows[0]!]), s.score([poisoned]), s.score([rows[1]!, rows[2]!])]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(Array.from((results[0] as PromiseFulfilledResult<Float64Array>).value)).toEqual([alone[0]]);
    expect(Array.from((results[2] as PromiseFulfilledResult<Float64Array>).value)).toEqual(alone.slice(1, 3));
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/bad row/);
    // The shared run failed (not counted), then each request ran alone.
    expect(runs).toEqual([[1, 1], [1, 1], [1, 2]]);
    // One request failed alone too: the batch was not the fault, so batching goes on.
    runs.length = 0;
    await Promise.all([s.score([rows[0]!]), s.score([rows[1]!])]);
    expect(runs).toEqual([[2, 2]]);
  });

  it("stops batching a model that fails every batch while each request passes alone (a fixed batch size of one)", async () => {
    let calls = 0;
    const oneRowOnly: Scorer = { ...scorer, score: (r) => (calls++, r.length > 1 ? Promise.reject(new Error("cannot reshape")) : scorer.score(r)) };
    const { s, runs } = batching(256, oneRowOnly);
    const first = await Promise.all(rows.slice(0, 4).map((r) => s.score([r])));
    first.forEach((a, i) => expect(Array.from(a)).toEqual([alone[i]]));
    expect(calls).toBe(5); // the failed shared run, then each request alone
    expect(runs).toEqual([[1, 1], [1, 1], [1, 1], [1, 1]]);
    // From now on no shared run is tried: each request is scored once.
    calls = 0;
    const again = await Promise.all(rows.slice(4, 8).map((r) => s.score([r])));
    again.forEach((a, i) => expect(Array.from(a)).toEqual([alone[i + 4]]));
    expect(calls).toBe(4);
  });
});
