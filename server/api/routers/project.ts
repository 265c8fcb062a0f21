import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { projectActivity } from "../../overview/activity";
import { ZActivityDto } from "../../overview/schemas";
import { resolveProjectAccess } from "../../tenancy/access";
import { createProject, deleteProject, findProjectIdBySlugs, getProject, listProjects, renameProject, setPrimaryMetric } from "../../tenancy/projects";
import { ZCreateProjectInput, ZGetProjectInput, ZProjectDto, ZRenameProjectInput, ZSetPrimaryMetricInput } from "../../tenancy/schemas";
import { createTRPCRouter, orgProcedure, projectProcedure, protectedProcedure } from "../trpc";

export const projectRouter = createTRPCRouter({
  list: orgProcedure("VIEWER", { allowProjectTokens: true })
    .output(z.array(ZProjectDto))
    .query(({ ctx }) => listProjects({ orgId: ctx.org.id, onlyProjectId: ctx.projectScope })),

  /** By id, or by org and project slugs (what CI scripts usually know). */
  get: protectedProcedure
    .input(ZGetProjectInput)
    .output(ZProjectDto)
    .query(async ({ ctx, input }) => {
      const projectId = "projectId" in input ? input.projectId : await findProjectIdBySlugs(input.orgSlug, input.projectSlug);
      if (projectId === null) throw new TRPCError({ code: "NOT_FOUND", message: "Project not found" });
      const access = await resolveProjectAccess(ctx.identity, projectId);
      return getProject({ projectId: access.project.id, orgId: access.org.id });
    }),

  create: orgProcedure("ADMIN")
    .input(ZCreateProjectInput)
    .output(ZProjectDto)
    .mutation(({ ctx, input }) =>
      createProject({ orgId: ctx.org.id, name: input.name, slug: input.slug, description: input.description, actor: ctx.actor }),
    ),

  rename: projectProcedure("ADMIN")
    .input(ZRenameProjectInput)
    .output(ZProjectDto)
    .mutation(({ ctx, input }) =>
      renameProject({ orgId: ctx.org.id, projectId: ctx.project.id, name: input.name, description: input.description, actor: ctx.actor }),
    ),

  /** What happened lately: latest versions and runs, counts, and the ranking metric's trend. */
  activity: projectProcedure("VIEWER")
    .output(ZActivityDto)
    .query(({ ctx }) => projectActivity(ctx.project.id)),

  /** The metric that ranks the project's models (runs table, overview); ADMIN and up. */
  setPrimaryMetric: projectProcedure("ADMIN")
    .input(ZSetPrimaryMetricInput)
    .output(ZProjectDto)
    .mutation(({ ctx, input }) => setPrimaryMetric({ orgId: ctx.org.id, projectId: ctx.project.id, primaryMetric: input.primaryMetric, actor: ctx.actor })),

  delete: projectProcedure("ADMIN")
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx }) => deleteProject({ orgId: ctx.org.id, projectId: ctx.project.id, actor: ctx.actor })),
});
