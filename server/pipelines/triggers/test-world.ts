/** Test builders for the trigger tests: a project and pipelines saved from cairn.yaml as a user would. */
import { stringify } from "yaml";
import type { Actor } from "../../audit/audit";
import { db } from "../../db";
import { createTestProject, createUser, type TestUser } from "../../testing/factories";
import { archivePipeline, savePipeline } from "../pipelines";
import type { Trigger } from "../spec";

export interface TriggerWorld {
  owner: TestUser;
  actor: Actor;
  projectId: string;
}

export async function triggerWorld(): Promise<TriggerWorld> {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  return { owner, actor: { type: "user", id: owner.userId, label: owner.email }, projectId: project.id };
}

/** Saves a one-step pipeline with these triggers (and params, budget) and returns its id and webhook secret. */
export async function addPipeline(
  w: TriggerWorld,
  name: string,
  opts: { triggers: Trigger[]; params?: Record<string, string | number | boolean>; maxRunsPerDay?: number; archived?: boolean },
): Promise<{ id: string; name: string; secret: string }> {
  const spec = {
    name,
    params: opts.params ?? {},
    triggers: opts.triggers,
    ...(opts.maxRunsPerDay ? { budget: { maxRunsPerDay: opts.maxRunsPerDay } } : {}),
    steps: [{ id: "validate", uses: "validate-data", with: { dataset: "trips" } }],
  };
  const saved = await savePipeline({ projectId: w.projectId, yaml: stringify(spec), source: "api", actor: w.actor });
  if (opts.archived) await archivePipeline({ projectId: w.projectId, pipelineId: saved.id, actor: w.actor });
  const row = await db().pipeline.findUniqueOrThrow({ where: { id: saved.id }, select: { webhookSecret: true } });
  return { id: saved.id, name, secret: row.webhookSecret };
}

/** The runs of a pipeline, oldest first, as stored. */
export const runsOf = (pipelineId: string) =>
  db().pipelineRun.findMany({ where: { pipelineId }, orderBy: { number: "asc" }, select: { id: true, number: true, trigger: true, triggerInfo: true, params: true, idempotencyKey: true } });
