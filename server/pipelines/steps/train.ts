/** train: a training run through startTraining (no automatic evaluation: the evaluate step does that). */
import { createHash } from "node:crypto";
import { db } from "../../db";
import { AppError } from "../../errors";
import { cancelRun, startTraining } from "../../training/start";
import { ZTrainer } from "../../training/schemas";
import { substituteParams, upstream, versionOf } from "./inputs";
import type { StepContext, StepExecutor } from "./types";

function trainWith(ctx: StepContext) {
  if (ctx.step.uses !== "train") throw new Error("not a train step");
  return ctx.step.with;
}

/** The run a pipeline's train step starts is named after the step, so a person finds it in the runs table. */
export const trainRunName = (ctx: StepContext) => `${ctx.run.pipelineName} #${ctx.run.number} ${ctx.step.id}`.slice(0, 200);

export const train: StepExecutor = {
  cacheable: true,
  async prepare(ctx) {
    const w = trainWith(ctx);
    const checked = ctx.earlier.some((e) => e.outputs.datasetVersionId) ? upstream(ctx, "datasetVersionId", "a dataset version") : undefined;
    const datasetVersionId = w.dataset ? await versionOf(ctx.run.projectId, w.dataset, checked) : upstream(ctx, "datasetVersionId", "a dataset version (add a validate-data step or `with.dataset`)");
    const substituted = substituteParams(w, ctx.run.params) as typeof w;
    let code: unknown = null;
    if (w.trainer === "command") {
      if (!w.command) throw new AppError("BAD_REQUEST", "The command trainer needs `with.command` (a training command's name)");
      const command = await db().trainingCommand.findFirst({ where: { projectId: ctx.run.projectId, name: w.command } });
      if (!command) throw new AppError("NOT_FOUND", `Training command "${w.command}" not found in this project`);
      // The command line and its settings are the code; env values are secrets, so only their hash enters the key.
      const env = createHash("sha256").update(JSON.stringify(command.env)).digest("hex");
      const commit = typeof ctx.run.triggerInfo.commit === "string" ? ctx.run.triggerInfo.commit : null;
      code = { commandId: command.id, command: command.command, workdir: command.workdir, timeoutSeconds: command.timeoutSeconds, env, commit };
    }
    return { inputs: { datasetVersionId }, with: substituted, code };
  },
  async start(ctx, prepared) {
    const w = prepared.with as ReturnType<typeof trainWith>;
    const commandId = (prepared.code as { commandId?: string } | null)?.commandId;
    const run = await startTraining({
      projectId: ctx.run.projectId,
      orgId: ctx.run.orgId,
      actor: ctx.actor,
      datasetVersionId: String(prepared.inputs.datasetVersionId),
      target: w.target,
      features: w.features,
      exclude: w.exclude,
      trainer: ZTrainer.parse(w.trainer),
      params: w.params,
      commandId,
      resource: ctx.step.resources,
      experiment: w.experiment ?? ctx.run.pipelineName,
      name: trainRunName(ctx),
      evaluate: false,
    });
    return { state: "running", outputs: { runId: run.id }, log: `training run #${run.number} queued (${ctx.step.resources})`, recheckSeconds: 30 };
  },
  async check(ctx) {
    const runId = ctx.row.outputs?.runId;
    const run = runId ? await db().run.findFirst({ where: { id: runId, projectId: ctx.run.projectId }, select: { id: true, number: true, status: true, error: true } }) : null;
    if (!run) return { state: "failed", message: "the training run no longer exists" };
    const outputs = { runId: run.id };
    if (run.status === "FINISHED") return { state: "succeeded", outputs, log: `training run #${run.number} finished` };
    if (run.status === "FAILED" || run.status === "KILLED") return { state: "failed", outputs, message: `training run #${run.number} ${run.status}${run.error ? `: ${run.error}` : ""}` };
    return { state: "running", outputs, recheckSeconds: 30 };
  },
  async recover(ctx, startedAt) {
    const run = await db().run.findFirst({ where: { projectId: ctx.run.projectId, name: trainRunName(ctx), createdAt: { gte: startedAt } }, orderBy: { createdAt: "desc" }, select: { id: true } });
    return run ? this.check({ ...ctx, row: { ...ctx.row, outputs: { runId: run.id } } }) : null;
  },
  async cancel(ctx) {
    const runId = ctx.row.outputs?.runId;
    if (!runId) return;
    const run = await db().run.findFirst({ where: { id: runId, projectId: ctx.run.projectId }, select: { status: true } });
    if (run && (run.status === "QUEUED" || run.status === "RUNNING")) await cancelRun({ projectId: ctx.run.projectId, orgId: ctx.run.orgId, runId, actor: ctx.actor });
  },
};
