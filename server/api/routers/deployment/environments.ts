import { z } from "zod";
import { createEnvironment as create, deleteEnvironment, listEnvironments, updateEnvironment } from "../../../deployments/environments";
import { ZCreateEnvironmentInput, ZEnvironmentDto, ZEnvironmentRefInput, ZUpdateEnvironmentInput } from "../../../deployments/schemas";
import { ZProjectRef } from "../../../tenancy/schemas";
import { projectProcedure } from "../../trpc";

/** The project's environments (staging and production are created the first time a project has none). */
export const environments = projectProcedure("VIEWER")
  .input(ZProjectRef)
  .output(z.array(ZEnvironmentDto))
  .query(({ ctx }) => listEnvironments({ projectId: ctx.project.id }));

export const createEnvironment = projectProcedure("ADMIN")
  .input(ZCreateEnvironmentInput)
  .output(ZEnvironmentDto)
  .mutation(({ ctx, input }) => create({ orgId: ctx.org.id, projectId: ctx.project.id, name: input.name, requires: input.requires, actor: ctx.actor }));

/** Changes which gate state may take traffic in the environment (ADMIN). */
export const updateEnvironmentPolicy = projectProcedure("ADMIN")
  .input(ZUpdateEnvironmentInput)
  .output(ZEnvironmentDto)
  .mutation(({ ctx, input }) => updateEnvironment({ orgId: ctx.org.id, projectId: ctx.project.id, environmentId: input.environmentId, requires: input.requires, actor: ctx.actor }));

export const removeEnvironment = projectProcedure("ADMIN")
  .input(ZEnvironmentRefInput)
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => deleteEnvironment({ orgId: ctx.org.id, projectId: ctx.project.id, environmentId: input.environmentId, actor: ctx.actor }));
