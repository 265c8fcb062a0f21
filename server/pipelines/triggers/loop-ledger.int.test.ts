/**
 * The closed loop's chain in the deployment ledger: a monitor's alert (a real incident, handed to
 * startFromMonitor as the monitoring rules hand it) starts the retraining pipeline; the worker's own
 * handlers run train → evaluate → register → gate → deploy, and the canary's ledger entry names the
 * incident, the run, the version, the gate report and what waived the approvals, with the chain intact.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { raiseAlert } from "../../alerts/notify";
import { abortRollout } from "../../deployments/changes";
import { listLedger, verifyLedger } from "../../deployments/ledger";
import { deliveriesCsv } from "../../ml/synthetic/deliveries";
import { projectWithVersion } from "../../testing/datasets";
import { servedModelWorld, untilRunDone } from "../../testing/served-model";
import type { Actor } from "../../audit/audit";
import { savePipeline } from "../pipelines";
import { startFromMonitor } from "./monitor";

let s: Awaited<ReturnType<typeof servedModelWorld>>;
let actor: Actor;
let deploymentId = "";

beforeAll(async () => {
  s = await servedModelWorld({ rows: 300, rounds: 5 });
  actor = s.actor;
  deploymentId = s.deployment.id;
  const yaml = stringify({
    name: "eta-retrain",
    triggers: [{ monitor: "eta" }],
    steps: [
      { id: "validate", uses: "validate-data", with: { dataset: "deliveries" } },
      { id: "train", uses: "train", with: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: 6, maxDepth: 3 } } },
      { id: "evaluate", uses: "evaluate" },
      { id: "register", uses: "register", with: { model: "eta" } },
      { id: "gate", uses: "gate" },
      { id: "deploy", uses: "deploy", if: "gate.passed", with: { deployment: "eta", strategy: "canary", steps: [10, 100], bakeSeconds: 600 } },
    ],
  });
  await savePipeline({ projectId: s.project.id, yaml, source: "cli", actor });
}, 240_000);

const finished = (runId: string) => untilRunDone(s.project.id, runId);

describe("the closed loop in the deployment ledger", () => {
  it("the canary a monitor's alert led to carries the incident, run, version, gate report and approval waiver, and the chain verifies", async () => {
    const alert = await raiseAlert({ projectId: s.project.id, ruleKey: "monitor-rule:test", subject: "dataset", title: "Data drift on eta", severity: "critical", figures: { share: 0.5 }, link: "/x", channelIds: [], cooldownSeconds: 3600 });
    const [started] = await startFromMonitor({ projectId: s.project.id, monitor: "eta", alertId: alert.incidentId });
    expect(started).toBeDefined();
    const run = await finished(started!.id);
    expect(run.steps.map((x) => [x.stepId, x.status])).toContainEqual(["deploy", "SUCCEEDED"]);
    const out = Object.fromEntries(run.steps.map((x) => [x.stepId, x.outputs!]));

    const entries = await listLedger({ projectId: s.project.id, deploymentId });
    // One entry for the change, written with its provenance (no second write).
    expect(entries.map((e) => e.kind)).toEqual(["create", "candidate"]);
    expect(entries[0]!.provenance).toBeNull();
    const canary = entries[1]!;
    expect(canary.toSplit).toMatchObject({ strategy: "canary", candidateVersionId: out.register!.modelVersionId, candidatePercent: 10 });
    expect(canary.provenance).toEqual({
      pipelineRun: { id: run.id, pipeline: "eta-retrain", number: 1, trigger: "monitor", triggerInfo: { alertId: alert.incidentId, monitor: "eta" } },
      incident: { id: alert.incidentId, monitor: "eta", title: "Data drift on eta" },
      modelVersion: { id: out.register!.modelVersionId, model: "eta", number: 2 },
      gate: { reportId: out.gate!.gateReportId, passed: true },
      approval: {
        status: "waived",
        required: 0,
        policyRevision: 1,
        environment: { name: "staging", requires: "none" },
        approvals: [],
        waivedBy: "gate policy revision 1 requires no approvals",
      },
    });
    // The stored evidence is what was hashed: the chain still verifies from the first entry.
    expect((canary.evidence as { provenance: unknown }).provenance).toEqual(canary.provenance);
    expect(await verifyLedger({ projectId: s.project.id, deploymentId })).toMatchObject({ valid: true, entries: 2, brokenAtSeq: null });
  }, 300_000);

  it("an incident id of another project in a run's trigger is named but not looked up there", async () => {
    const other = await projectWithVersion(deliveriesCsv(50));
    const foreign = await raiseAlert({ projectId: other.project.id, ruleKey: "monitor-rule:other", subject: "dataset", title: "Secret incident", severity: "critical", figures: {}, link: "/y", channelIds: [], cooldownSeconds: 60 });
    await abortRollout({ orgId: s.owner.orgId, projectId: s.project.id, deploymentId, actor });
    const runs = await startFromMonitor({ projectId: s.project.id, monitor: "eta", alertId: foreign.incidentId });
    expect((await finished(runs[0]!.id)).status).toBe("SUCCEEDED");
    const last = (await listLedger({ projectId: s.project.id, deploymentId })).at(-1)!;
    expect(last.kind).toBe("candidate");
    expect(last.provenance?.incident).toEqual({ id: foreign.incidentId, monitor: "eta", title: null });
    expect(await verifyLedger({ projectId: s.project.id, deploymentId })).toMatchObject({ valid: true, entries: 4 });
  }, 300_000);
});
