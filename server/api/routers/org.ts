import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { createOrg, findOrgBySlug, getOrgForToken, listOrgsForUser, renameOrg } from "../../tenancy/orgs";
import { ZCreateOrgInput, ZOrgDto, ZRenameOrgInput } from "../../tenancy/schemas";
import { createTRPCRouter, orgProcedure, protectedProcedure, userProcedure } from "../trpc";

export const orgRouter = createTRPCRouter({
  list: protectedProcedure.output(z.array(ZOrgDto)).query(({ ctx }) =>
    ctx.identity.kind === "user" ? listOrgsForUser(ctx.identity.userId) : getOrgForToken(ctx.identity.orgId, ctx.identity.role),
  ),

  /** By slug (what URLs carry); NOT_FOUND for organisations the caller does not belong to. */
  get: protectedProcedure
    .input(z.object({ orgSlug: z.string().min(1).max(64) }))
    .output(ZOrgDto)
    .query(async ({ ctx, input }) => {
      const org = await findOrgBySlug(ctx.identity, input.orgSlug);
      if (org === null) throw new TRPCError({ code: "NOT_FOUND", message: "Organisation not found" });
      return org;
    }),

  create: userProcedure
    .input(ZCreateOrgInput)
    .output(ZOrgDto)
    .mutation(({ ctx, input }) => createOrg({ name: input.name, slug: input.slug, ownerId: ctx.user.userId, actor: ctx.actor })),

  rename: orgProcedure("ADMIN")
    .input(ZRenameOrgInput)
    .output(z.object({ id: z.string(), name: z.string() }))
    .mutation(({ ctx, input }) => renameOrg({ orgId: ctx.org.id, name: input.name, actor: ctx.actor })),
});
