/**
 * The A/B report on traffic answered by a real serving process (sticky assignment by key, real ONNX
 * Runtime, the real prediction log) with ground truth posted through recordFeedback: arms and
 * metric values are recomputed here from the logged rows and labels.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { differenceSequence } from "../ml/sequential";
import { recordFeedback } from "../predictions/feedback";
import { DEPLOYMENTS_CHANNEL } from "../serving/schemas";
import { deployRow, infer, labelledRows, logged, servingWorld, until, type ServingWorld } from "../testing/serving-world";
import { abReport } from "./ab";
import { abortRollout, setCandidate } from "./changes";
import { createDeployment } from "./deployments";

let w: ServingWorld;
const deployments: Record<string, string> = {};
const data = labelledRows(400, 23);

/** Sends one row per request with a sticky key, then posts the true minutes for every `labelEvery`-th request. */
async function traffic(name: string, requests: number, labelEvery = 1) {
  const d = deployments[name]!;
  const items = [];
  for (let i = 0; i < requests; i++) {
    const { row, minutes } = data[i % data.length]!;
    const r = await infer(w, name, [row], { "x-cairn-key": `customer-${i}`, "x-request-id": `${name}-${i}` });
    if (i % labelEvery === 0) items.push({ requestId: r.requestId, labels: [minutes] });
  }
  await logged(d, requests);
  await recordFeedback({ projectId: w.project.id, deploymentId: d, items });
}

beforeAll(async () => {
  w = await servingWorld();
  // Fixed ids: the sticky assignment of keys to arms (and so every figure) is the same on every run.
  const ab = (id: string, stableVersionId: string, candidateVersionId: string) => ({ id, stableVersionId, candidateVersionId, candidatePercent: 50, strategy: "ab" });
  deployments.better = (await deployRow(w, "better", ab("dep-ab-better", w.versions.weak, w.versions.strong))).id;
  deployments.worse = (await deployRow(w, "worse", ab("dep-ab-worse", w.versions.strong, w.versions.weak))).id;
  deployments.equal = (await deployRow(w, "equal", ab("dep-ab-equal", w.versions.strong, w.versions.strongCopy))).id;
  deployments.few = (await deployRow(w, "few", ab("dep-ab-few", w.versions.weak, w.versions.strong))).id;
  await traffic("better", 300, 1);
  await traffic("worse", 300, 1);
  await traffic("equal", 400, 1);
  await traffic("few", 40, 2);
}, 180_000);
afterAll(() => w?.serving.close());

/** Per-arm figures rebuilt from the log and the feedback table. */
async function armsFromLog(deploymentId: string, perRow: (label: number, prediction: number) => number) {
  const log = await db().predictionLog.findMany({ where: { deploymentId, role: "primary" } });
  const labels = new Map((await db().predictionFeedback.findMany({ where: { deploymentId } })).map((f) => [f.requestId, (f.labels as number[])[0]!]));
  const arms = new Map<string, { requests: number; values: number[] }>();
  for (const r of log) {
    const arm = arms.get(r.versionId) ?? { requests: 0, values: [] };
    arm.requests++;
    const y = labels.get(r.requestId);
    if (y !== undefined) arm.values.push(perRow(y, (r.outputs as number[])[0]!));
    arms.set(r.versionId, arm);
  }
  const moments = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return { count: xs.length, mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) };
  };
  return { arms, moments };
}

describe("A/B report", () => {
  it("finds the truly better candidate, with arms and MAE recomputed from the logged rows", async () => {
    const report = await abReport({ projectId: w.project.id, deploymentId: deployments.better!, alpha: 0.05 });
    const { arms, moments } = await armsFromLog(deployments.better!, (y, p) => Math.abs(y - p));
    const stable = arms.get(w.versions.weak)!;
    const candidate = arms.get(w.versions.strong)!;
    // Sticky 50 % assignment by key: both arms got a real share of 300 requests.
    expect(stable.requests + candidate.requests).toBe(300);
    expect(Math.min(stable.requests, candidate.requests)).toBeGreaterThan(100);
    expect(report).toMatchObject({ deploymentId: deployments.better, metric: "mae", lowerIsBetter: true, alpha: 0.05, verdict: "candidate_better" });
    expect(report.arms).toEqual([
      { arm: "stable", versionId: w.versions.weak, requests: stable.requests, labelled: stable.values.length, value: expect.closeTo(moments(stable.values).mean, 9) },
      { arm: "candidate", versionId: w.versions.strong, requests: candidate.requests, labelled: candidate.values.length, value: expect.closeTo(moments(candidate.values).mean, 9) },
    ]);
    const expected = differenceSequence(moments(stable.values), moments(candidate.values), { alpha: 0.05 })!;
    expect(report.difference!.estimate).toBeCloseTo(moments(candidate.values).mean - moments(stable.values).mean, 9);
    expect(report.difference!.lower).toBeCloseTo(expected.lower, 9);
    expect(report.difference!.upper).toBeLessThan(0);
    expect(report.method).toMatch(/confidence sequence/);
  });

  it("finds the worse candidate worse; mse scores squared errors", async () => {
    const worse = await abReport({ projectId: w.project.id, deploymentId: deployments.worse!, alpha: 0.05 });
    expect(worse).toMatchObject({ metric: "mae", verdict: "stable_better", arms: [{ versionId: w.versions.strong }, { versionId: w.versions.weak }] });
    expect(worse.difference!.lower).toBeGreaterThan(0);
    const mse = await abReport({ projectId: w.project.id, deploymentId: deployments.better!, metric: "mse", alpha: 0.05 });
    const { arms, moments } = await armsFromLog(deployments.better!, (y, p) => (y - p) ** 2);
    expect(mse).toMatchObject({ metric: "mse", lowerIsBetter: true });
    expect(mse.arms[0]!.value).toBeCloseTo(moments(arms.get(w.versions.weak)!.values).mean, 8);
    expect(mse.arms[1]!.value).toBeCloseTo(moments(arms.get(w.versions.strong)!.values).mean, 8);
  });

  it("reports no difference between two versions that predict the same", async () => {
    const report = await abReport({ projectId: w.project.id, deploymentId: deployments.equal!, alpha: 0.05 });
    expect(report.verdict).toBe("no_difference_yet");
    expect(report.arms.map((a) => a.labelled).every((n) => n > 100)).toBe(true);
    expect(report.difference!.lower).toBeLessThan(0);
    expect(report.difference!.upper).toBeGreaterThan(0);
  });

  it("uses the versions the log says answered, not the current split", async () => {
    const before = await abReport({ projectId: w.project.id, deploymentId: deployments.better!, alpha: 0.05 });
    await db().deployment.update({ where: { id: deployments.better! }, data: { candidatePercent: 0, generation: { increment: 1 } } });
    await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, deployments.better!]);
    expect(await abReport({ projectId: w.project.id, deploymentId: deployments.better!, alpha: 0.05 })).toEqual(before);
  });

  it("compares only what the current candidate's experiment logged, from its ledger entry on", async () => {
    const actor = { type: "user" as const, id: w.owner.userId, label: w.owner.email };
    const base = { orgId: w.owner.orgId, projectId: w.project.id, actor };
    const dep = await createDeployment({ ...base, environment: "production", name: "experiment", modelId: w.modelId, versionId: w.versions.weak });
    const ref = { ...base, deploymentId: dep.id };
    const serves = (candidate: string) => until(async () => w.serving.routes.byName("experiment")[0]?.candidate?.versionId === candidate);
    const send = async (from: number, count: number) => {
      const items = [];
      for (let i = from; i < from + count; i++) items.push({ requestId: (await infer(w, "experiment", [data[i]!.row], { "x-cairn-key": `c-${i}`, "x-request-id": `experiment-${i}` })).requestId, labels: [data[i]!.minutes] });
      await logged(dep.id, from + count);
      await recordFeedback({ projectId: w.project.id, deploymentId: dep.id, items });
    };
    await setCandidate({ ...ref, versionId: w.versions.strong, strategy: "ab", candidatePercent: 50 });
    await serves(w.versions.strong);
    await send(0, 60);
    await abortRollout(ref);
    await setCandidate({ ...ref, versionId: w.versions.strongCopy, strategy: "ab", candidatePercent: 50 });
    await serves(w.versions.strongCopy);
    await send(60, 80);
    const started = (await db().deploymentLedgerEntry.findFirstOrThrow({ where: { deploymentId: dep.id, kind: "candidate" }, orderBy: { seq: "desc" } })).createdAt;
    const current = await db().predictionLog.findMany({ where: { deploymentId: dep.id, createdAt: { gte: started } } });
    expect(current.length).toBe(80);
    expect((await abReport({ projectId: w.project.id, deploymentId: dep.id, alpha: 0.05 })).since).toBe(started.toISOString());
    const report = await abReport({ projectId: w.project.id, deploymentId: dep.id, alpha: 0.05 });
    // The same window whatever the process's time zone ("createdAt" is UTC without a zone).
    const saved = process.env.TZ;
    try {
      for (const tz of ["Asia/Tokyo", "America/New_York"]) {
        process.env.TZ = tz;
        expect([tz, await abReport({ projectId: w.project.id, deploymentId: dep.id, alpha: 0.05 })]).toEqual([tz, report]);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect(report.arms).toEqual([
      expect.objectContaining({ versionId: w.versions.weak, requests: current.filter((r) => r.versionId === w.versions.weak).length }),
      expect.objectContaining({ versionId: w.versions.strongCopy, requests: current.filter((r) => r.versionId === w.versions.strongCopy).length }),
    ]);
    expect(report.arms.reduce((n, a) => n + a.labelled, 0)).toBe(80);
  });

  it("says insufficient below the labels a verdict needs, and refuses an unknown metric", async () => {
    const report = await abReport({ projectId: w.project.id, deploymentId: deployments.few!, alpha: 0.05 });
    expect(report.verdict).toBe("insufficient");
    expect(report.arms.reduce((n, a) => n + a.labelled, 0)).toBe(20);
    expect(report.arms.reduce((n, a) => n + a.requests, 0)).toBe(40);
    await expect(abReport({ projectId: w.project.id, deploymentId: deployments.few!, metric: "accuracy", alpha: 0.05 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/mae or mse/) });
  });
});
