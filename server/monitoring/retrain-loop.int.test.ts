/**
 * A rule's training action closes the loop on real parts: the monitor of deployment `eta` reports
 * drift, the rule raises its alert and starts its generated pipeline once per incident (within its
 * daily budget and cooldown), and the worker's own handlers (drainJobs) run train → evaluate →
 * register → gate → deploy, which makes the retrained version the canary candidate of `eta`. The
 * incident's chain links the run, the version, the gate report and the deployment.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/audit";
import { db } from "../db";
import { savePolicy } from "../gates/policies";
import type { Monitor } from "../generated/prisma/client";
import { TERMINAL_RUN_STATUSES } from "../pipelines/schemas";
import { drainJobs } from "../testing/drain-jobs";
import { PASS_POLICY, servedModelWorld, untilRunDone } from "../testing/served-model";
import { evaluateRules } from "./alerting";
import { startRetrainPipeline } from "./retrain-pipeline";

let s: Awaited<ReturnType<typeof servedModelWorld>>;
let actor: Actor;
let monitor: Monitor;
let stableVersionId = "";
let ruleId = "";
let pipelineName = "";
let hour = 0;

/** A data report of the monitor (a new window each time) and the rules judged on it, as the drift job does after writing one. */
async function report(verdict: "drifted" | "ok") {
  const windowStart = new Date(Date.UTC(2026, 0, 1, hour++));
  const row = await db().monitorReport.create({ data: { monitorId: monitor.id, kind: "data", windowStart, windowEnd: new Date(windowStart.getTime() + 3600_000), rows: 500, datasetDriftShare: verdict === "drifted" ? 0.5 : 0, verdict } });
  await evaluateRules(monitor, row);
  return row;
}

const runsOfRule = () => db().pipelineRun.findMany({ where: { projectId: s.project.id, pipeline: { name: pipelineName } }, orderBy: { number: "asc" } });
const firing = () => db().alertIncident.findFirstOrThrow({ where: { projectId: s.project.id, status: "firing" } });

/** Until the run is done, or waits at its gate for an approval. */
const untilDone = (runId: string) => untilRunDone(s.project.id, runId, (run) => TERMINAL_RUN_STATUSES.includes(run.status) || run.steps.some((x) => x.status === "RUNNING" && x.log.at(-1)?.includes("waiting for approvals")));

beforeAll(async () => {
  // `eta` serves v1, trained here on `deliveries`: the rule's training spec names no dataset and gets that one.
  s = await servedModelWorld({ rows: 400, rounds: 10 });
  actor = s.actor;
  stableVersionId = s.v1.id;
  await drainJobs(); // the deployment.created event makes the default monitor
  monitor = await db().monitor.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta" } });
  const rule = await s.caller.monitor.createRule({
    projectId: s.project.id,
    name: "eta",
    rule: {
      name: "retrain",
      condition: { on: "data_drift" },
      action: { retrain: { training: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: 12, maxDepth: 3 } }, deploy: { strategy: "canary", steps: [10, 50, 100], bakeSeconds: 600 } } },
      budget: { maxRunsPerDay: 1 },
      retrainCooldownSeconds: 0,
    },
  });
  ruleId = rule.id;
  pipelineName = rule.generatedPipeline!;
}, 240_000);

describe("a rule that retrains with a training spec", () => {
  it("starts its generated pipeline once per incident, and the run ends as the canary candidate of the monitored deployment", async () => {
    const first = await report("drifted");
    const incident = await firing();
    // The same report judged again (a redelivered job) and the next window of the same incident start nothing more.
    await evaluateRules(monitor, first);
    await report("drifted");
    const runs = await runsOfRule();
    expect(runs).toHaveLength(1);
    // Started again for the same alert (a retried job after the link was lost), it answers the same run.
    expect((await startRetrainPipeline({ projectId: s.project.id, monitor: "eta", ruleId, alertId: incident.id })).run?.id).toBe(runs[0]!.id);
    expect(await runsOfRule()).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "monitor", triggerInfo: { alertId: incident.id, monitor: "eta" }, idempotencyKey: `monitor:${incident.id}` });
    expect((await db().alertRule.findUniqueOrThrow({ where: { id: ruleId } })).lastRetrainAt).not.toBeNull();

    const run = await untilDone(runs[0]!.id);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.steps.map((x) => [x.stepId, x.status])).toEqual([
      ["train", "SUCCEEDED"],
      ["evaluate", "SUCCEEDED"],
      ["register", "SUCCEEDED"],
      ["gate", "SUCCEEDED"],
      ["deploy", "SUCCEEDED"],
    ]);
    const out = Object.fromEntries(run.steps.map((x) => [x.stepId, x.outputs!]));
    // Trained on the served version's training data (the dataset the monitor's reference points at).
    expect((await db().run.findUniqueOrThrow({ where: { id: out.train!.runId! }, select: { spec: true } })).spec).toMatchObject({ datasetVersionId: s.version.id, target: "minutes" });
    const registered = await db().modelVersion.findUniqueOrThrow({ where: { id: out.register!.modelVersionId! }, select: { runId: true, number: true } });
    expect(registered).toEqual({ runId: out.train!.runId, number: 2 });
    const deployment = await db().deployment.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta" } });
    expect(deployment).toMatchObject({ strategy: "canary", status: "rolling_out", stableVersionId, candidateVersionId: out.register!.modelVersionId, candidatePercent: 10 });

    const chain = await s.caller.monitor.chain({ projectId: s.project.id, incidentId: incident.id });
    expect(chain).toMatchObject({ rule: { name: "retrain" }, report: { id: first.id, verdict: "drifted" }, note: null });
    expect(chain.runs).toEqual([
      { id: run.id, pipeline: pipelineName, number: 1, status: "SUCCEEDED", modelVersion: { id: out.register!.modelVersionId, number: 2 }, gate: { reportId: out.gate!.gateReportId, passed: true }, deployment: { id: deployment.id, name: "eta" } },
    ]);
  }, 300_000);

  it("the next incident the same day is not retrained beyond the rule's budget, nor within its cooldown", async () => {
    await report("ok");
    await report("drifted");
    const second = await firing();
    expect(await runsOfRule()).toHaveLength(1);
    expect((await s.caller.monitor.chain({ projectId: s.project.id, incidentId: second.id })).note).toBe("Retraining not started: the rule's budget of 1 run(s) a day is spent");

    // More runs a day allowed, but an hour apart: the last run started minutes ago.
    const rule = { name: "retrain", condition: { on: "data_drift" as const }, action: (await s.caller.monitor.rules({ projectId: s.project.id, name: "eta" }))[0]!.action, budget: { maxRunsPerDay: 5 }, retrainCooldownSeconds: 3600 };
    await s.caller.monitor.updateRule({ projectId: s.project.id, name: "eta", ruleId, rule });
    await report("drifted");
    expect(await runsOfRule()).toHaveLength(1);
    const notes = await db().monitorAlertLink.findMany({ where: { incidentId: second.id }, orderBy: { createdAt: "asc" }, select: { note: true, pipelineRunId: true } });
    expect(notes.map((n) => n.pipelineRunId)).toEqual([null, null]);
    expect(notes[1]!.note).toMatch(/^Retraining not started: cooling down until /);

    // Without the cooldown the incident's next report starts its run.
    await s.caller.monitor.updateRule({ projectId: s.project.id, name: "eta", ruleId, rule: { ...rule, retrainCooldownSeconds: 0 } });
    await savePolicy({ projectId: s.project.id, orgId: s.owner.orgId, actor, modelId: (await db().deployment.findFirstOrThrow({ where: { projectId: s.project.id, name: "eta" } })).modelId, yaml: PASS_POLICY.replace("required: 0", "required: 1") });
    await report("drifted");
    const runs = await runsOfRule();
    expect(runs.map((r) => r.idempotencyKey)).toEqual([expect.any(String), `monitor:${second.id}`]);
    // The gate policy now wants an approval: the run waits at the gate and the deployment is not touched
    // (the same data and spec: the first run's training and registration are reused).
    const waiting = await untilDone(runs[1]!.id);
    expect(waiting.status).toBe("RUNNING");
    expect(waiting.steps.map((x) => [x.stepId, x.status])).toEqual([
      ["train", "CACHED"],
      ["evaluate", "CACHED"],
      ["register", "CACHED"],
      ["gate", "RUNNING"],
      ["deploy", "PENDING"],
    ]);
    expect(waiting.steps[3]!.log.at(-1)).toMatch(/gate passed; waiting for approvals \(0\/1/);
  }, 300_000);
});
