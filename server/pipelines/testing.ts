/**
 * Test builders for the engine: a pipeline with one revision of a spec, and runs created the way
 * startPipelineRun creates them (a QUEUED row, then admitRun in the same transaction).
 */
import { createHash, randomBytes } from "node:crypto";
import type { z } from "zod";
import { db } from "../db";
import { admitRun } from "./engine";
import { ZPipelineSpec } from "./spec";
import type { TriggerKind } from "./schemas";

export async function createTestPipeline(args: { projectId: string; userId: string; spec: z.input<typeof ZPipelineSpec> }) {
  const spec = ZPipelineSpec.parse(args.spec);
  const yaml = JSON.stringify(args.spec);
  return db().$transaction(async (tx) => {
    const pipeline = await tx.pipeline.create({ data: { projectId: args.projectId, name: spec.name, webhookSecret: randomBytes(16).toString("hex"), createdById: args.userId } });
    const revision = await tx.pipelineRevision.create({
      data: { pipelineId: pipeline.id, number: 1, yaml, spec: JSON.parse(JSON.stringify(spec)), sha256: createHash("sha256").update(yaml).digest("hex"), source: "api", createdById: args.userId },
    });
    return tx.pipeline.update({ where: { id: pipeline.id }, data: { currentRevisionId: revision.id } });
  });
}

/** A new run of the pipeline's current revision (params: the spec's, overridden by `params`), admitted. */
export async function startTestRun(pipelineId: string, opts: { trigger?: TriggerKind; triggerInfo?: Record<string, unknown>; params?: Record<string, string | number | boolean> } = {}): Promise<string> {
  return db().$transaction(async (tx) => {
    const pipeline = await tx.pipeline.findUniqueOrThrow({ where: { id: pipelineId }, include: { revisions: { orderBy: { number: "desc" }, take: 1 } } });
    const revision = pipeline.revisions[0]!;
    const spec = ZPipelineSpec.parse(revision.spec);
    const last = await tx.pipelineRun.findFirst({ where: { pipelineId }, orderBy: { number: "desc" }, select: { number: true } });
    const run = await tx.pipelineRun.create({
      data: {
        projectId: pipeline.projectId,
        pipelineId,
        revisionId: revision.id,
        number: (last?.number ?? 0) + 1,
        trigger: opts.trigger ?? "manual",
        triggerInfo: JSON.parse(JSON.stringify(opts.triggerInfo ?? {})),
        params: { ...spec.params, ...opts.params },
      },
    });
    await admitRun(tx, run.id);
    return run.id;
  });
}
