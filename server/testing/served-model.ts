/**
 * The world of the closed-loop tests (trigger → pipeline → version → gate → canary): a project with a
 * `deliveries` dataset whose deployment `eta` (staging) serves v1 of the model `eta`, trained here by
 * hand under a gate policy any sane model passes; and a wait for a pipeline run driven by the worker's
 * own handlers.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Actor } from "../audit/audit";
import { createDeployment } from "../deployments/deployments";
import { savePolicy } from "../gates/policies";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { pipelineRunDto } from "../pipelines/run-dto";
import { TERMINAL_RUN_STATUSES, type PipelineRunDto } from "../pipelines/schemas";
import { createModel } from "../registry/models";
import { registerFromRun } from "../registry/register";
import { projectWithVersion } from "./datasets";
import { drainJobs } from "./drain-jobs";
import { trainRun } from "./registry";

export const PASS_POLICY = "approvals:\n  required: 0\nchecks:\n  thresholds:\n    - metric: rmse\n      max: 1000\n";

export async function servedModelWorld(opts: { rows: number; rounds: number }) {
  const s = await projectWithVersion(deliveriesCsv(opts.rows));
  const actor: Actor = { type: "user", id: s.owner.userId, label: s.owner.email };
  const base = { projectId: s.project.id, orgId: s.owner.orgId, actor };
  await drainJobs();
  const model = await createModel({ ...base, name: "eta", task: "regression", description: "" });
  await savePolicy({ ...base, modelId: model.id, yaml: PASS_POLICY });
  const first = await trainRun(s.caller, s.project.id, s.version.id, { rounds: opts.rounds });
  const v1 = (await registerFromRun({ ...base, modelName: "eta", runId: first.id })).version;
  await drainJobs();
  const deployment = await createDeployment({ ...base, environment: "staging", name: "eta", modelId: model.id, versionId: v1.id });
  return { ...s, actor, base, model, v1, deployment };
}

/** Drains the worker's jobs until the run is done (or `stop` says so); fails with the steps' states after 4 minutes. */
export async function untilRunDone(projectId: string, runId: string, stop: (run: PipelineRunDto) => boolean = (run) => TERMINAL_RUN_STATUSES.includes(run.status)): Promise<PipelineRunDto> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    await drainJobs(500);
    const run = await pipelineRunDto(projectId, runId);
    if (stop(run)) return run;
    if (Date.now() > deadline) throw new Error(`run not done: ${JSON.stringify(run.steps.map((x) => [x.stepId, x.status, x.message]))}`);
    await sleep(500);
  }
}
