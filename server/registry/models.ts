/** Registered models: creating one and changing its settings (description, owner, automatic registration). */
import { db } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { getModel } from "./read";
import type { ModelTask } from "./names";
import type { ModelDto } from "./schemas";

interface Args {
  projectId: string;
  orgId: string;
  actor: Actor;
}

/** Creates an empty model of a task; its name is unique in the project (CONFLICT otherwise). */
export async function createModel(args: Args & { name: string; task: ModelTask; description: string }): Promise<ModelDto> {
  const model = await db()
    .$transaction(async (tx) => {
      const row = await tx.registeredModel.create({
        data: { projectId: args.projectId, name: args.name, task: args.task, description: args.description, ownerId: args.actor.type === "user" ? args.actor.id : null },
      });
      await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "model.create", target: { type: "model", id: row.id, label: row.name }, after: { task: args.task } });
      return row;
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A model named ${args.name} already exists in this project`);
      throw err;
    });
  return getModel({ projectId: args.projectId, modelId: model.id });
}

/** Changes a model's description, owner (a member of the organisation) or automatic registration (an experiment of the project). */
export async function updateModel(
  args: Args & { modelId: string; description?: string; ownerId?: string | null; autoRegisterExperimentId?: string | null },
): Promise<ModelDto> {
  await db().$transaction(async (tx) => {
    const model = await tx.registeredModel.findFirst({ where: { id: args.modelId, projectId: args.projectId } });
    if (!model) throw notFound("Model");
    if (args.ownerId) {
      const member = await tx.membership.findFirst({ where: { orgId: args.orgId, userId: args.ownerId }, select: { userId: true } });
      if (member === null) throw new AppError("BAD_REQUEST", "The owner must be a member of this organisation");
    }
    if (args.autoRegisterExperimentId) {
      const experiment = await tx.experiment.findFirst({ where: { id: args.autoRegisterExperimentId, projectId: args.projectId }, select: { id: true } });
      if (experiment === null) throw notFound("Experiment");
    }
    const data = {
      ...(args.description !== undefined ? { description: args.description } : {}),
      ...(args.ownerId !== undefined ? { ownerId: args.ownerId } : {}),
      ...(args.autoRegisterExperimentId !== undefined ? { autoRegisterExperimentId: args.autoRegisterExperimentId } : {}),
    };
    await tx.registeredModel.update({ where: { id: model.id }, data });
    const before = Object.fromEntries(Object.keys(data).map((k) => [k, model[k as keyof typeof data] ?? null]));
    await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "model.update", target: { type: "model", id: model.id, label: model.name }, before, after: data });
  });
  return getModel({ projectId: args.projectId, modelId: args.modelId });
}
