/** register: the trained run's model as a version of `with.model` (created when missing), through registerFromRun. */
import { registerFromRun } from "../../registry/register";
import { substituteParams, upstream } from "./inputs";
import type { StepExecutor } from "./types";

export const register: StepExecutor = {
  cacheable: true,
  async prepare(ctx) {
    if (ctx.step.uses !== "register") throw new Error("not a register step");
    return { inputs: { runId: upstream(ctx, "runId", "a trained run") }, with: substituteParams(ctx.step.with, ctx.run.params), code: null };
  },
  async start(ctx, prepared) {
    const { model } = prepared.with as { model: string };
    // The same bytes registered again answer the existing version, so a repeated start registers once.
    const result = await registerFromRun({ projectId: ctx.run.projectId, orgId: ctx.run.orgId, actor: ctx.actor, modelName: model, runId: String(prepared.inputs.runId), createModel: true });
    const v = result.version;
    return {
      state: "succeeded",
      outputs: { runId: String(prepared.inputs.runId), modelId: v.modelId, modelName: model, modelVersionId: v.id, modelVersion: v.number },
      log: `${result.created ? "registered" : "already registered as"} ${model} v${v.number}`,
    };
  },
  async check(ctx) {
    // Registration finishes inside start; a RUNNING register step is one whose worker died mid-start.
    const outputs = ctx.row.outputs;
    return outputs?.modelVersionId ? { state: "succeeded", outputs } : { state: "failed", message: "registration was interrupted; retry the step" };
  },
};
