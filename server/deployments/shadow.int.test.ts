/**
 * The shadow report on a prediction log written by a real serving process (real ONNX Runtime, real
 * HTTP, the real PredictionLogger): every figure is recomputed here from the logged rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { parseEncodingSpec } from "../ml/features";
import { DEPLOYMENTS_CHANNEL } from "../serving/schemas";
import { createTestProject } from "../testing/factories";
import { deployRow, infer, labelledRows, logged, servingWorld, until, type ServingWorld } from "../testing/serving-world";
import { shadowReport } from "./shadow";

let w: ServingWorld;
let deploymentId: string;
const REQUESTS = 60;
const ROWS = 4;
const data = labelledRows(REQUESTS * ROWS, 11);

beforeAll(async () => {
  w = await servingWorld();
  const d = await deployRow(w, "shadowed", { stableVersionId: w.versions.strong, candidateVersionId: w.versions.weak, strategy: "shadow" });
  deploymentId = d.id;
  for (let i = 0; i < REQUESTS; i++) await infer(w, "shadowed", data.slice(i * ROWS, (i + 1) * ROWS).map((x) => x.row), { "x-request-id": `sh-${i}` });
  await logged(deploymentId, 2 * REQUESTS);
}, 120_000);
afterAll(() => w?.serving.close());

/** numpy.quantile's default (linear interpolation between closest ranks). */
function quantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

/** Pairs rebuilt from the raw log rows: stable output, shadow output and the row's inputs. */
async function pairsFromLog() {
  const rows = await db().predictionLog.findMany({ where: { deploymentId }, orderBy: { id: "asc" } });
  const shadow = new Map(rows.filter((r) => r.role === "shadow").map((r) => [r.requestId, r.outputs as number[]]));
  return rows
    .filter((r) => r.role === "primary")
    .flatMap((r) => (r.outputs as number[]).map((s, i) => ({ s, c: shadow.get(r.requestId)![i]!, input: (r.inputs as Record<string, string>[])[i]! })));
}

describe("shadow report", () => {
  it("matches agreement, differences and default segments recomputed from the logged rows", async () => {
    const pairs = await pairsFromLog();
    expect(pairs).toHaveLength(REQUESTS * ROWS);
    const d = pairs.map((p) => p.c - p.s);
    const abs = d.map(Math.abs);
    const tol = 0.05 * (quantile(pairs.map((p) => p.s), 0.95) - quantile(pairs.map((p) => p.s), 0.05));
    const agree = (x: number) => Math.abs(x) <= tol;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    const report = await shadowReport({ projectId: w.project.id, deploymentId });
    expect(report).toMatchObject({ deploymentId, stableVersionId: w.versions.strong, candidateVersionId: w.versions.weak, pairs: REQUESTS * ROWS });
    expect(report.agreementRule).toMatch(/^\|Δ\| ≤ 5 % of stable's prediction spread \(p95 − p5 = [\d.]+\)$/);
    expect(report.agreementRate).toBeCloseTo(d.filter(agree).length / d.length, 12);
    // A weak model against a strong one: they must disagree somewhere, or the test proves nothing.
    expect(report.agreementRate).toBeGreaterThan(0);
    expect(report.agreementRate).toBeLessThan(1);
    expect(report.diff!.meanAbs).toBeCloseTo(mean(abs), 9);
    expect(report.diff!.p95Abs).toBeCloseTo(quantile(abs, 0.95), 9);
    expect(report.diff!.maxAbs).toBeCloseTo(Math.max(...abs), 9);
    expect(report.diff!.meanSigned).toBeCloseTo(mean(d), 9);

    const spec = parseEncodingSpec((await db().modelVersion.findUniqueOrThrow({ where: { id: w.versions.strong } })).encoding);
    const feature = spec.features.find((f) => f.kind === "categorical")!.name;
    expect(report.segmentBy).toBe(feature);
    const groups = new Map<string, number[]>();
    pairs.forEach((p, i) => groups.set(p.input[feature]!, [...(groups.get(p.input[feature]!) ?? []), d[i]!]));
    expect(report.segments.map((s) => s.value).sort()).toEqual([...groups.keys()].sort());
    for (const s of report.segments) {
      const g = groups.get(s.value)!;
      expect(s.pairs).toBe(g.length);
      expect(s.agreementRate).toBeCloseTo(g.filter(agree).length / g.length, 12);
      expect(s.meanAbsDiff).toBeCloseTo(mean(g.map(Math.abs)), 9);
    }
    expect(report.segments.map((s) => s.pairs)).toEqual([...report.segments.map((s) => s.pairs)].sort((a, b) => b - a));
    expect(report.window).toMatchObject({ capped: false, maxRequests: 100_000 });

    // Past the segment limit, the smallest values are summed under "(other)".
    const few = await shadowReport({ projectId: w.project.id, deploymentId, maxSegments: 3 });
    expect(groups.size).toBeGreaterThan(3);
    const top = report.segments.slice(0, 2).map((s) => s.value);
    expect(few.segments.map((s) => s.value)).toEqual([...top, "(other)"]);
    const rest = [...groups.entries()].filter(([value]) => !top.includes(value)).flatMap(([, g]) => g);
    expect(few.segments[2]).toMatchObject({ pairs: rest.length, agreementRate: expect.closeTo(rest.filter(agree).length / rest.length, 12), meanAbsDiff: expect.closeTo(mean(rest.map(Math.abs)), 9) });
  });

  it("bins a numeric segment feature into quartiles with readable labels", async () => {
    const pairs = await pairsFromLog();
    const x = pairs.map((p) => Number(p.input.distance_km));
    const edges = [0.25, 0.5, 0.75].map((q) => quantile(x, q));
    const fmt = (v: number) => String(Number(v.toPrecision(4)));
    const labels = [`< ${fmt(edges[0]!)}`, `[${fmt(edges[0]!)}, ${fmt(edges[1]!)})`, `[${fmt(edges[1]!)}, ${fmt(edges[2]!)})`, `≥ ${fmt(edges[2]!)}`];
    const bucket = (v: number) => edges.filter((e) => e <= v).length;
    const report = await shadowReport({ projectId: w.project.id, deploymentId, segmentBy: "distance_km" });
    expect(report.segmentBy).toBe("distance_km");
    expect(report.segments.map((s) => s.value)).toEqual(labels);
    expect(report.segments.map((s) => s.pairs)).toEqual(labels.map((_, b) => x.filter((v) => bucket(v) === b).length));
    expect(report.segments.reduce((n, s) => n + s.pairs, 0)).toBe(pairs.length);
  });

  it("honours the window and the cap, and refuses a feature the model does not have", async () => {
    const later = await shadowReport({ projectId: w.project.id, deploymentId, since: new Date(Date.now() + 60_000).toISOString() });
    expect(later).toMatchObject({ pairs: 0, agreementRate: null, diff: null, segments: [] });
    const saved = process.env.TZ;
    try {
      for (const tz of ["Asia/Tokyo", "America/New_York", "UTC"]) {
        process.env.TZ = tz;
        const recent = await shadowReport({ projectId: w.project.id, deploymentId, since: new Date(Date.now() - 120_000).toISOString() });
        expect([tz, recent.pairs]).toEqual([tz, REQUESTS * ROWS]);
        expect([tz, (await shadowReport({ projectId: w.project.id, deploymentId })).pairs]).toEqual([tz, REQUESTS * ROWS]);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    const capped = await shadowReport({ projectId: w.project.id, deploymentId, maxRequests: 10 });
    expect(capped.pairs).toBe(10 * ROWS);
    expect(capped.window).toMatchObject({ capped: true, maxRequests: 10 });
    await expect(shadowReport({ projectId: w.project.id, deploymentId, segmentBy: "colour" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining('"colour" is not a feature') });
    const other = await createTestProject(w.owner.orgId, w.owner);
    await expect(shadowReport({ projectId: other.id, deploymentId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("never changes the response: the same requests answer byte for byte the same with and without a shadow candidate", async () => {
    const d = await deployRow(w, "mirror", { stableVersionId: w.versions.strong });
    const requests = Array.from({ length: 12 }, (_, i) => ({ rows: data.slice(i * 3, i * 3 + 3).map((x) => x.row), id: `mirror-${i}` }));
    const plain = [];
    for (const r of requests) plain.push(await infer(w, "mirror", r.rows, { "x-request-id": r.id }));
    await db().deployment.update({ where: { id: d.id }, data: { strategy: "shadow", candidateVersionId: w.versions.weak, generation: { increment: 1 } } });
    await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, d.id]);
    await until(async () => w.serving.routes.byName("mirror")[0]?.strategy === "shadow");
    const shadowed = [];
    for (const r of requests) shadowed.push(await infer(w, "mirror", r.rows, { "x-request-id": r.id }));
    expect(shadowed.map((s) => s.text)).toEqual(plain.map((p) => p.text));
    expect(shadowed.map((s) => s.version)).toEqual(plain.map(() => "eta:2"));
    // The shadow did score those requests (with other predictions), so the sameness is not for want of a shadow.
    await until(async () => (await db().predictionLog.count({ where: { deploymentId: d.id, role: "shadow" } })) === requests.length);
    const report = await shadowReport({ projectId: w.project.id, deploymentId: d.id });
    expect(report.pairs).toBe(requests.length * 3);
    expect(report.diff!.maxAbs).toBeGreaterThan(0);
  });
});
