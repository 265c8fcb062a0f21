/**
 * Alert rules through the monitor router: bad definitions get clear 400s and write nothing; another
 * organisation's member and anonymous callers see nothing; viewers read but do not change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { stringify } from "yaml";
import { readFileSync } from "node:fs";
import { db, pool } from "../db";
import { savePipeline } from "../pipelines/pipelines";
import { addMember, callerAs, createTestProject, createUser, type TestUser } from "../testing/factories";
import { deployRow, servingWorld, type ServingWorld } from "../testing/serving-world";
import { createDefaultMonitor } from "./monitors";
import { uploadReadyVersion } from "../testing/datasets";
import { DELIVERY_COLUMNS, deliveryRows } from "../ml/synthetic/deliveries";

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

/** The refusal as an HTTP caller reads it: the error formatter's `path: message` list for input errors, the service's message otherwise. */
async function refused(rule: unknown, message: RegExp) {
  const err = await create(rule).then(
    () => null,
    (e: unknown) => e as { code: string; message: string; cause?: unknown },
  );
  expect(err?.code).toBe("BAD_REQUEST");
  const text = err!.cause instanceof ZodError ? err!.cause.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : err!.message;
  expect(text).toMatch(message);
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

describe("training actions", () => {
  const training = { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: 5 } };
  const generated = () => db().pipeline.findMany({ where: { projectId, name: { contains: "-retrain-" } }, select: { name: true, archivedAt: true } });

  it("are refused with the rule's field and the reason, and neither a rule nor a pipeline is written", async () => {
    const action = (retrain: unknown) => ({ name: "t", condition: { on: "data_drift" }, action: { retrain } });
    // Before any dataset: the served version was registered from a file, so there is no training data to default to.
    await refused(action({ training }), /action\.retrain\.training\.dataset: the served version records no training dataset/);
    await uploadReadyVersion(w.owner, projectId, [DELIVERY_COLUMNS.join(","), ...deliveryRows(300, 3).map((r) => r.join(","))].join("\n"));
    const t = { ...training, dataset: "deliveries" };
    await refused(action({ training: { ...t, dataset: "nope" } }), /action\.retrain\.training\.dataset: no dataset "nope" in this project/);
    // Another organisation's dataset is no dataset of this project.
    const theirs = await createTestProject(stranger.orgId, stranger);
    await uploadReadyVersion(stranger, theirs.id, "a,b\n1,2\n3,4\n", "their-data");
    await refused(action({ training: { ...t, dataset: "their-data", target: "b" } }), /action\.retrain\.training\.dataset: no dataset "their-data" in this project/);
    await refused(action({ training: { ...t, target: "shoe_size" } }), /action\.retrain\.training\.target: dataset "deliveries" has no column "shoe_size" \(columns: delivery_id/);
    await refused(action({ training: { ...t, exclude: ["nope"] } }), /action\.retrain\.training\.exclude: dataset "deliveries" has no column "nope"/);
    await refused(action({ training: { ...t, trainer: "xgboost" } }), /action\.retrain\.training\.trainer/);
    await refused(action({ training: { ...t, trainer: "logistic", params: {} } }), /action\.retrain\.training\.trainer: logistic trains a binary model, but the deployment's model "eta" is regression/);
    await refused(action({ training: { ...t, params: { rounds: -1 } } }), /action\.retrain\.training\.params: Invalid gbdt params: rounds/);
    await refused(action({ training: { ...t, params: { round: 5 } } }), /action\.retrain\.training\.params: .*round/);
    await refused(action({ training: { ...t, trainer: "command" } }), /action\.retrain\.training\.command: the command trainer needs the name of a training command/);
    await refused(action({ training: { ...t, trainer: "command", command: "nope" } }), /action\.retrain\.training\.command: no training command "nope"/);
    await refused(action({ training: { ...t, epochs: 3 } }), /action\.retrain\.training: Unrecognized key: "epochs"/);
    // Problems the cairn.yaml checks find in the generated pipeline are reported at the rule's field, not a YAML line.
    await refused(action({ training: { ...t, experiment: "retrain ${{ params.when }}" } }), /^action\.retrain\.training\.experiment: "\$\{\{ params\.when \}\}" names no declared param/);
    await refused(action({ training: t, pipeline: "retrain" }), /action\.retrain\.training: give either `pipeline`.*not both/);
    await refused(action({}), /action\.retrain: give either `pipeline`/);
    await refused(action({ pipeline: "retrain", deploy: { strategy: "canary" } }), /action\.retrain\.deploy: `deploy` goes with `training`/);
    await refused(action({ training: t, deploy: { strategy: "canary", steps: [50, 10] } }), /action\.retrain\.deploy\.steps: Steps must increase/);
    await refused(action({ training: t, deploy: { strategy: "canary", bakeSeconds: 0 } }), /action\.retrain\.deploy\.bakeSeconds/);
    await refused(action({ training: t, deploy: { strategy: "canary", deployment: "other" } }), /action\.retrain\.deploy: Unrecognized key: "deployment"/);
    expect(await db().alertRule.count({ where: { monitorId } })).toBe(0);
    expect(await generated()).toEqual([]);
  }, 60_000);

  it("a training rule saves its generated pipeline, through the cairn.yaml parser, and keeps it in step with the rule", async () => {
    const api = callerAs(w.owner);
    const rule = await create({ name: "retrain on drift", condition: { on: "data_drift" }, action: { retrain: { training: { ...training, dataset: "deliveries" }, deploy: { strategy: "canary", steps: [10, 100], bakeSeconds: 60 } } } });
    expect(rule.generatedPipeline).toBe(`eta-retrain-${rule.id}`);
    expect(rule.action).toEqual({ retrain: { training: { ...training, dataset: "deliveries" }, deploy: { strategy: "canary", steps: [10, 100], bakeSeconds: 60 } } });
    const listed = await api.pipeline.list({ projectId });
    const mine = listed.find((p) => p.name === rule.generatedPipeline)!;
    expect(mine.description).toContain('alert rule "retrain on drift" on monitor eta');
    expect(mine.triggers).toEqual([]);
    const validated = await api.pipeline.validate({ projectId, yaml: (await api.pipeline.get({ projectId, pipelineId: mine.id })).yaml });
    expect(validated.steps.map((x) => [x.id, x.kind, x.condition])).toEqual([["train", "train", null], ["evaluate", "evaluate", null], ["register", "register", null], ["gate", "gate", null], ["deploy", "deploy", "gate.passed"]]);
    const spec = (await db().pipelineRevision.findFirstOrThrow({ where: { pipelineId: mine.id }, orderBy: { number: "desc" } })).spec as { steps: { uses: string; with: Record<string, unknown> }[] };
    expect(spec.steps.find((x) => x.uses === "register")!.with).toEqual({ model: "eta" });
    expect(spec.steps.find((x) => x.uses === "deploy")!.with).toMatchObject({ deployment: "eta", strategy: "canary", steps: [10, 100], bakeSeconds: 60 });
    expect(spec.steps.find((x) => x.uses === "train")!.with).toMatchObject({ dataset: "deliveries", trainer: "gbdt", target: "minutes" });

    // No deploy: the chain stops after the gate (a new revision); saving the same rule again writes none.
    const update = (action: unknown) => api.monitor.updateRule({ projectId, name: NAME, ruleId: rule.id, rule: { name: "retrain on drift", condition: { on: "data_drift" }, action } as never });
    await update({ retrain: { training: { ...training, dataset: "deliveries" }, deploy: null } });
    await update({ retrain: { training: { ...training, dataset: "deliveries" }, deploy: null } });
    const revisions = await db().pipelineRevision.findMany({ where: { pipelineId: mine.id }, orderBy: { number: "asc" }, select: { spec: true } });
    expect(revisions).toHaveLength(2);
    expect((revisions[1]!.spec as { steps: { id: string }[] }).steps.map((x) => x.id)).toEqual(["train", "evaluate", "register", "gate"]);
    // A pipeline action archives the generated pipeline; a training action again restores it; deleting the rule archives it.
    expect((await update({ retrain: { pipeline: "retrain" } })).generatedPipeline).toBeNull();
    expect(await generated()).toEqual([{ name: rule.generatedPipeline, archivedAt: expect.any(Date) }]);
    await update({ retrain: { training: { ...training, dataset: "deliveries" } } });
    expect(await generated()).toEqual([{ name: rule.generatedPipeline, archivedAt: null }]);
    // A bad update leaves rule and pipeline as they were.
    await expect(update({ retrain: { training: { ...training, dataset: "deliveries", target: "nope" } } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await api.monitor.rules({ projectId, name: NAME })).find((r) => r.id === rule.id)!.action).toEqual({ retrain: { training: { ...training, dataset: "deliveries" } } });
    await api.monitor.deleteRule({ projectId, name: NAME, ruleId: rule.id });
    expect(await generated()).toEqual([{ name: rule.generatedPipeline, archivedAt: expect.any(Date) }]);
    const audit = await db().auditEvent.findMany({ where: { projectId, action: { startsWith: "pipeline." } }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["pipeline.create", "pipeline.save", "pipeline.archive", "pipeline.restore"]));
  }, 60_000);
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

