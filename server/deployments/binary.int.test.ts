/**
 * Shadow and A/B reports for a binary model served by a real serving process, with text labels
 * ("yes"/"no") read through the version's target encoding: accuracy, log loss and class agreement
 * recomputed here from the logged probabilities.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { recordFeedback } from "../predictions/feedback";
import { binaryVersions, deployRow, infer, labelledRows, LATE_MINUTES, logged, servingWorld, type ServingWorld } from "../testing/serving-world";
import { abReport, encodeLabels } from "./ab";
import { shadowReport } from "./shadow";

let w: ServingWorld;
let late: { modelId: string; weak: string; strong: string };
const deployments: Record<string, string> = {};
const data = labelledRows(300, 31).map((x) => ({ row: x.row, label: x.minutes > LATE_MINUTES ? "yes" : "no" }));

beforeAll(async () => {
  w = await servingWorld();
  late = await binaryVersions(w);
  deployments.ab = (await deployRow(w, "late-ab", { id: "dep-late-ab", modelId: late.modelId, stableVersionId: late.weak, candidateVersionId: late.strong, candidatePercent: 50, strategy: "ab" })).id;
  deployments.shadow = (await deployRow(w, "late-shadow", { modelId: late.modelId, stableVersionId: late.strong, candidateVersionId: late.weak, strategy: "shadow" })).id;
  const items = [];
  for (const [i, x] of data.entries()) items.push({ requestId: (await infer(w, "late-ab", [x.row], { "x-cairn-key": `k-${i}`, "x-request-id": `late-${i}` })).requestId, labels: [x.label] });
  await logged(deployments.ab!, data.length);
  await recordFeedback({ projectId: w.project.id, deploymentId: deployments.ab!, items });
  for (let i = 0; i < 40; i++) await infer(w, "late-shadow", data.slice(i * 3, i * 3 + 3).map((x) => x.row));
  await logged(deployments.shadow!, 80);
}, 180_000);
afterAll(() => w?.serving.close());

/** Per arm: the logged probability and the text label of every labelled row. */
async function labelledByArm() {
  const labels = new Map((await db().predictionFeedback.findMany({ where: { deploymentId: deployments.ab! } })).map((f) => [f.requestId, (f.labels as string[])[0]!]));
  const arms = new Map<string, { p: number; yes: boolean }[]>();
  for (const r of await db().predictionLog.findMany({ where: { deploymentId: deployments.ab!, role: "primary" } })) {
    arms.set(r.versionId, [...(arms.get(r.versionId) ?? []), { p: (r.outputs as number[])[0]!, yes: labels.get(r.requestId) === "yes" }]);
  }
  return arms;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("binary models", () => {
  it("A/B on accuracy: text labels read through the target encoding, the better candidate found", async () => {
    const arms = await labelledByArm();
    const accuracy = (rows: { p: number; yes: boolean }[]) => mean(rows.map((r) => ((r.p >= 0.5) === r.yes ? 1 : 0)));
    const report = await abReport({ projectId: w.project.id, deploymentId: deployments.ab!, alpha: 0.05 });
    expect(report).toMatchObject({ metric: "accuracy", lowerIsBetter: false, verdict: "candidate_better" });
    expect(report.arms[0]).toMatchObject({ versionId: late.weak, labelled: arms.get(late.weak)!.length, value: expect.closeTo(accuracy(arms.get(late.weak)!), 12) });
    expect(report.arms[1]).toMatchObject({ versionId: late.strong, labelled: arms.get(late.strong)!.length, value: expect.closeTo(accuracy(arms.get(late.strong)!), 12) });
    expect(report.difference!.lower).toBeGreaterThan(0);
  });

  it("A/B on log loss of the logged probabilities", async () => {
    const arms = await labelledByArm();
    const eps = 2.220446049250313e-16;
    const logLoss = (rows: { p: number; yes: boolean }[]) => mean(rows.map((r) => -Math.log(Math.min(Math.max(r.yes ? r.p : 1 - r.p, eps), 1 - eps))));
    const report = await abReport({ projectId: w.project.id, deploymentId: deployments.ab!, metric: "logLoss", alpha: 0.05 });
    expect(report).toMatchObject({ metric: "logLoss", lowerIsBetter: true });
    expect(report.arms[0]!.value).toBeCloseTo(logLoss(arms.get(late.weak)!), 9);
    expect(report.arms[1]!.value).toBeCloseTo(logLoss(arms.get(late.strong)!), 9);
    expect(report.verdict).toBe("candidate_better");
  });

  it("shadow agreement is the share of rows both versions put in the same class", async () => {
    const rows = await db().predictionLog.findMany({ where: { deploymentId: deployments.shadow! }, orderBy: { id: "asc" } });
    const shadow = new Map(rows.filter((r) => r.role === "shadow").map((r) => [r.requestId, r.outputs as number[]]));
    const pairs = rows.filter((r) => r.role === "primary").flatMap((r) => (r.outputs as number[]).map((s, i) => [s, shadow.get(r.requestId)![i]!] as const));
    const same = pairs.filter(([s, c]) => (s >= 0.5) === (c >= 0.5)).length;
    const report = await shadowReport({ projectId: w.project.id, deploymentId: deployments.shadow! });
    expect(report).toMatchObject({ pairs: 120, agreementRule: "same class (both probabilities ≥ 0.5 or both below)" });
    expect(report.agreementRate).toBeCloseTo(same / pairs.length, 12);
    expect(same).toBeLessThan(pairs.length);
    expect(report.diff!.maxAbs).toBeCloseTo(Math.max(...pairs.map(([s, c]) => Math.abs(c - s))), 9);
  });

  it("reads labels without a target encoding: numbers for regression, 0/1 and booleans for binary, the rest left out", () => {
    // The encoder's cell rules (server/ml/features): text numbers are numbers, a boolean reads as 1/0.
    expect(Array.from(encodeLabels("regression", null, [3.5, "4.25", " 7 ", null, "late", true]))).toEqual([3.5, 4.25, 7, NaN, NaN, 1]);
    expect(Array.from(encodeLabels("binary", null, [1, 0, true, false, "1.0", "0", "yes", 2, null]))).toEqual([1, 0, 1, 0, 1, 0, NaN, NaN, NaN]);
  });
});
