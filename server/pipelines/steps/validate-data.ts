/** validate-data: waits for a dataset version's profile and contract check (the dataset jobs do the work). */
import { db } from "../../db";
import type { StepExecutor } from "./types";
import { versionOf } from "./inputs";

export const validateData: StepExecutor = {
  cacheable: true,
  async prepare(ctx) {
    if (ctx.step.uses !== "validate-data") throw new Error("not a validate-data step");
    // The version that triggered the run, when it is one of this dataset; otherwise the latest.
    const datasetVersionId = await versionOf(ctx.run.projectId, ctx.step.with.dataset, ctx.run.triggerInfo.datasetVersionId);
    // The check is against the dataset's contract as it is now: a new contract revision is new input.
    const contract = await db().dataContract.findFirst({ where: { dataset: { versions: { some: { id: datasetVersionId } } } }, select: { revision: true } });
    return { inputs: { datasetVersionId, contractRevision: contract?.revision ?? null }, with: ctx.step.with, code: null };
  },
  async start(ctx, prepared) {
    const datasetVersionId = String(prepared.inputs.datasetVersionId);
    return this.check({ ...ctx, row: { ...ctx.row, outputs: { datasetVersionId } } });
  },
  async check(ctx) {
    const id = ctx.row.outputs?.datasetVersionId;
    const v = id ? await db().datasetVersion.findFirst({ where: { id, projectId: ctx.run.projectId }, include: { dataset: { select: { slug: true } } } }) : null;
    if (!v) return { state: "failed", message: "the dataset version to validate no longer exists" };
    const outputs = { datasetVersionId: v.id };
    const label = `${v.dataset.slug} v${v.number}`;
    if (v.profileStatus === "FAILED") return { state: "failed", outputs, message: `${label} could not be profiled: ${v.profileError ?? "see the dataset page"}` };
    // No event marks the end of validation: the dataset jobs take seconds, so a short re-check is the wait.
    if (v.profileStatus !== "READY" || v.validation === "PENDING") return { state: "running", outputs, log: `waiting for ${label} to be profiled and validated`, recheckSeconds: 5 };
    if (v.validation === "FAILED") return { state: "failed", outputs, message: `${label} failed validation against its data contract` };
    return { state: "succeeded", outputs, log: `${label}: ${v.validation === "PASSED" ? "passed its data contract" : "no data contract to check"}` };
  },
};
