/**
 * The online metric of a canary arm: primary predictions of one version in the window joined with
 * their feedback by request id, labels read through the version's encoding spec (a binary model's
 * text labels by its positive class), scored by the evaluation metrics. Real Postgres rows throughout.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { fitEncodingSpec } from "../ml/features";
import { recordFeedback } from "../predictions/feedback";
import { PredictionLogger } from "../predictions/log";
import { callerAs } from "../testing/factories";
import { addVersion, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";
import { armHealth } from "./health";

let w: PromotionWorld;
beforeAll(async () => {
  w = await promotionWorld();
});

describe("armHealth online metric", () => {
  it("scores a binary version's primary answers against text labels by its positive class, ignoring other versions, shadows and unlabelled rows", async () => {
    const { model } = await createModel(w, { required: 1, min_role: "ADMIN" });
    const spec = fitEncodingSpec(["yes", "no", "yes"].map((late, i) => ({ x: i, late })), { features: ["x"], target: { name: "late", task: "binary" } });
    expect(spec.target).toMatchObject({ positive: ["yes"], negative: ["no"] });
    const [v1, v2] = [await addVersion(w, model.id), await addVersion(w, model.id)];
    for (const v of [v1, v2]) await db().modelVersion.update({ where: { id: v.id }, data: { task: "binary", encoding: JSON.stringify(spec) } });
    await setChampion(model.id, v1.id);
    const dep = await callerAs(w.admin1).deployment.create({ projectId: w.project.id, environment: "staging", name: "late", modelId: model.id });
    const from = new Date(Date.now() - 1000);

    // v2 answers 4 requests of 2 rows: 6 of the 8 rows right at threshold 0.5; v1's and the shadow's rows must not count.
    const logger = new PredictionLogger({ pool: pool(), flushIntervalMs: 50 });
    const truth: [string, (string | null)[]][] = [];
    const entry = (requestId: string, versionId: string, role: "primary" | "shadow", outputs: number[]) =>
      logger.log({ projectId: w.project.id, deploymentId: dep.id, versionId, requestId, role, inputs: outputs.map((_, x) => ({ x })), outputs, latencyMs: 1 });
    entry("r1", v2.id, "primary", [0.9, 0.2]);
    truth.push(["r1", ["yes", "no"]]);
    entry("r2", v2.id, "primary", [0.7, 0.6]);
    truth.push(["r2", ["yes", "no"]]);
    entry("r3", v2.id, "primary", [0.1, 0.4]);
    truth.push(["r3", ["no", "yes"]]);
    entry("r4", v2.id, "primary", [0.8, 0.3]);
    truth.push(["r4", ["yes", null]]); // an unlabelled row does not count
    entry("r5", v2.id, "primary", [0.9]); // no feedback at all
    entry("s1", v2.id, "shadow", [0.0]);
    truth.push(["s1", ["yes"]]);
    entry("p1", v1.id, "primary", [0.0, 0.0]);
    truth.push(["p1", ["yes", "yes"]]);
    await logger.close();
    await recordFeedback({ projectId: w.project.id, deploymentId: dep.id, items: truth.map(([requestId, labels]) => ({ requestId, labels })) });

    const arm = await armHealth({ deploymentId: dep.id, versionId: v2.id, from, to: new Date(Date.now() + 1000), metric: { name: "accuracy", maxDegradation: 0.05, minLabels: 1 } });
    // Rows: r1 ✓✓, r2 ✓✗, r3 ✓✗, r4 ✓ → 5 of 7.
    expect(arm.metric).toEqual({ name: "accuracy", labels: 7, value: 5 / 7 });
    const stable = await armHealth({ deploymentId: dep.id, versionId: v1.id, from, to: new Date(Date.now() + 1000), metric: { name: "accuracy", maxDegradation: 0.05, minLabels: 1 } });
    expect(stable.metric).toEqual({ name: "accuracy", labels: 2, value: 0 });
    // Predictions from before the window are not the step's.
    const later = await armHealth({ deploymentId: dep.id, versionId: v2.id, from: new Date(Date.now() + 60_000), to: new Date(Date.now() + 61_000), metric: { name: "accuracy", maxDegradation: 0.05, minLabels: 1 } });
    expect(later.metric).toEqual({ name: "accuracy", labels: 0, value: null });
  });

  it("finds the window's labelled predictions whatever the process's time zone (timestamps are UTC without a zone)", async () => {
    const { model } = await createModel(w, { required: 1, min_role: "ADMIN" });
    const v1 = await addVersion(w, model.id);
    await setChampion(model.id, v1.id);
    const dep = await callerAs(w.admin1).deployment.create({ projectId: w.project.id, environment: "staging", name: "tz", modelId: model.id });
    const logger = new PredictionLogger({ pool: pool(), flushIntervalMs: 50 });
    logger.log({ projectId: w.project.id, deploymentId: dep.id, versionId: v1.id, requestId: "tz-1", role: "primary", inputs: [{ x: 1 }], outputs: [3], latencyMs: 1 });
    await logger.close();
    await recordFeedback({ projectId: w.project.id, deploymentId: dep.id, items: [{ requestId: "tz-1", labels: [5] }] });
    const saved = process.env.TZ;
    try {
      for (const tz of ["America/New_York", "Asia/Tokyo", "UTC"]) {
        process.env.TZ = tz;
        const arm = await armHealth({ deploymentId: dep.id, versionId: v1.id, from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 1000), metric: { name: "rmse", maxDegradation: 1, minLabels: 1 } });
        expect([tz, arm.metric]).toEqual([tz, { name: "rmse", labels: 1, value: 2 }]);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
