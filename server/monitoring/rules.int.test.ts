/**
 * Alert rules through the monitor router: bad definitions get clear 400s and write nothing; another
 * organisation's member and anonymous callers see nothing; viewers read but do not change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { readFileSync } from "node:fs";
import { db, pool } from "../db";
import { savePipeline } from "../pipelines/pipelines";
import { addMember, callerAs, createUser, type TestUser } from "../testing/factories";
import { deployRow, servingWorld, type ServingWorld } from "../testing/serving-world";
import { createDefaultMonitor } from "./monitors";

let w: ServingWorld;
let stranger: TestUser;
let viewer: TestUser;
let projectId: string;
let monitorId: string;
let strangerChannel: string;
const NAME = "eta";

beforeAll(async () => {
  w = await servingWorld();
  projectId = w.project.id;
  const d = await deployRow(w, NAME, { stableVersionId: w.versions.strong });
  await db().$transaction((tx) => createDefaultMonitor(tx, { id: d.id, projectId, name: d.name }));
  monitorId = (await db().monitor.findFirstOrThrow({ where: { deploymentId: d.id } })).id;
  stranger = await createUser();
  viewer = await createUser();
  await addMember(w.owner.orgId, viewer, "VIEWER");
  strangerChannel = (await callerAs(stranger).alert.createChannel({ orgId: stranger.orgId, name: "theirs", config: { kind: "email", to: ["x@example.test"] } })).id;
  const actor = { type: "user" as const, id: w.owner.userId, label: w.owner.email };
  await savePipeline({ projectId, yaml: stringify({ name: "unrelated", triggers: [{ push: {} }], steps: [{ id: "v", uses: "validate-data", with: { dataset: "d" } }] }), source: "api", actor });
  await savePipeline({ projectId, yaml: stringify({ name: "retrain", triggers: [{ monitor: NAME }], steps: [{ id: "v", uses: "validate-data", with: { dataset: "d" } }] }), source: "api", actor });
}, 120_000);
afterAll(() => w?.serving.close());

const create = (rule: unknown, as: TestUser = w.owner) => callerAs(as).monitor.createRule({ projectId, name: NAME, rule } as never);

async function refused(rule: unknown, message: RegExp) {
  await expect(create(rule)).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(message) });
}

describe("bad rule definitions", () => {
  it("are refused with the field and the reason, and nothing is written", async () => {
    await refused({ name: "r", condition: { on: "anomaly" } }, /on/);
    await refused({ name: "r", condition: { on: "feature" } }, /feature/);
    await refused({ name: "r", condition: { on: "feature", feature: "shoe_size" } }, /"shoe_size" is not a monitored feature \(distance_km/);
    await refused({ name: "r", condition: { on: "concept", metric: "rmse" } }, /a concept rule needs min or max/);
    await refused({ name: "r", condition: { on: "concept", metric: "accuracy", min: 0.8 } }, /"accuracy" is not a regression metric/);
    await refused({ name: "r", condition: { on: "concept", metric: "rmse", min: 5, max: 1 } }, /min must not exceed max/);
    await refused({ name: "r", condition: { on: "error_rate", max: 3 } }, /an error rate lies in \[0, 1\]/);
    await refused({ name: "r", condition: { on: "data_drift", threshold: 0.3 } }, /threshold/);
    await refused({ name: "r", condition: { on: "data_drift" }, channelIds: [strangerChannel] }, /channelIds: no alert channel .* in this organisation/);
    await refused({ name: "r", condition: { on: "data_drift" }, action: { retrain: { pipeline: "nope" } } }, /no pipeline "nope" in this project/);
    await refused({ name: "r", condition: { on: "data_drift" }, action: { retrain: { pipeline: "unrelated" } } }, /has no "- monitor: eta" trigger/);
    await refused({ name: "r", condition: { on: "data_drift" }, budget: { maxRunsPerDay: -1 } }, /maxRunsPerDay/);
    await refused({ name: "r", condition: { on: "data_drift" }, severity: "apocalyptic" }, /severity/);
    expect(await db().alertRule.count({ where: { monitorId } })).toBe(0);
  });

  it("a good rule is saved, a second of the same name is a CONFLICT, and update re-checks it", async () => {
    const rule = await create({ name: "drift", condition: { on: "feature", feature: "distance_km" }, action: { retrain: { pipeline: "retrain" } }, budget: { maxRunsPerDay: 2 } });
    expect(rule).toMatchObject({ name: "drift", condition: { on: "feature", feature: "distance_km" }, budget: { maxRunsPerDay: 2 }, severity: "warning", cooldownSeconds: 3600 });
    await expect(create({ name: "drift", condition: { on: "data_drift" } })).rejects.toMatchObject({ code: "CONFLICT" });
    const api = callerAs(w.owner).monitor;
    await expect(api.updateRule({ projectId, name: NAME, ruleId: rule.id, rule: { name: "drift", condition: { on: "feature", feature: "nope" } } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const updated = await api.updateRule({ projectId, name: NAME, ruleId: rule.id, rule: { name: "drift", condition: { on: "data_drift" } } });
    expect(updated.action).toBeNull();
    expect(await api.rules({ projectId, name: NAME })).toHaveLength(1);
    expect(await api.deleteRule({ projectId, name: NAME, ruleId: rule.id })).toEqual({ deleted: true });
    expect(await api.rules({ projectId, name: NAME })).toHaveLength(0);
  });

  it("monitor.update refuses a bad schedule, window or alpha", async () => {
    const api = callerAs(w.owner).monitor;
    await expect(api.update({ projectId, name: NAME, patch: { schedule: "every hour please" } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/schedule/) });
    await expect(api.update({ projectId, name: NAME, patch: { window: { kind: "rows", rows: 3 } } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/at least 20 rows/) });
    await expect(api.update({ projectId, name: NAME, patch: { alpha: 0.9 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.update({ projectId, name: NAME, patch: { reference: { kind: "dataset", datasetVersionId: "cmnotaversion0000000000" } } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.update({ projectId, name: NAME, patch: { features: ["distance_km", "shoe_size"] } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/"shoe_size" is not a feature of the served model/) });
    const ok = await api.update({ projectId, name: NAME, patch: { schedule: "*/15 * * * *", mode: "evidently", features: ["distance_km", "hour"] } });
    expect(ok).toMatchObject({ schedule: "*/15 * * * *", mode: "evidently", features: ["distance_km", "hour"] });
    expect(ok.nextRunAt!.getUTCMinutes() % 15).toBe(0);
  });
});

describe("isolation and roles", () => {
  it("another organisation's member gets NOT_FOUND, anonymous UNAUTHORIZED, a viewer reads but cannot change", async () => {
    const rule = await create({ name: "iso", condition: { on: "data_drift" } });
    const theirs = callerAs(stranger).monitor;
    await expect(theirs.list({ projectId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(theirs.get({ projectId, name: NAME })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(theirs.rules({ projectId, name: NAME })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(theirs.deleteRule({ projectId, name: NAME, ruleId: rule.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(theirs.runNow({ projectId, name: NAME })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(null).monitor.get({ projectId, name: NAME })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const view = callerAs(viewer).monitor;
    expect((await view.get({ projectId, name: NAME })).name).toBe(NAME);
    await expect(view.update({ projectId, name: NAME, patch: { enabled: false } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(view.createRule({ projectId, name: NAME, rule: { name: "v", condition: { on: "data_drift" } } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(theirs.chain({ projectId, incidentId: rule.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db().alertRule.count({ where: { monitorId } })).toBe(1);
  });
});

describe("migration backfill", () => {
  it("gives deployments made before monitoring their default monitor, once", async () => {
    const legacy = await deployRow(w, "legacy", { stableVersionId: w.versions.weak });
    const sql = readFileSync(new URL("../../prisma/migrations/20261129121812_monitors/migration.sql", import.meta.url), "utf8");
    const backfill = sql.slice(sql.indexOf('INSERT INTO "Monitor"'));
    await pool().query(backfill);
    await pool().query(backfill);
    const monitors = await db().monitor.findMany({ where: { deploymentId: legacy.id } });
    expect(monitors).toHaveLength(1);
    expect(monitors[0]).toMatchObject({ name: "legacy", reference: { kind: "training" }, window: { kind: "hourly" }, mode: "calibrated", schedule: "0 * * * *", features: [] });
    expect(monitors[0]!.nextRunAt!.getTime()).toBe(Math.floor(Date.now() / 3600_000) * 3600_000 + 3600_000);
    expect((await callerAs(w.owner).monitor.get({ projectId, name: "legacy" })).features).toBeNull();
  });
});

