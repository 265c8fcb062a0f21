import { z } from "zod";
import { createToken, listTokens, revokeToken } from "../../tenancy/api-tokens";
import { ZCreatedTokenDto, ZCreateTokenInput, ZListTokensInput, ZRevokeTokenInput, ZTokenDto } from "../../tenancy/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const tokenRouter = createTRPCRouter({
  create: orgProcedure("ADMIN", { allowProjectTokens: true })
    .input(ZCreateTokenInput)
    .output(ZCreatedTokenDto)
    .mutation(({ ctx, input }) =>
      createToken({
        orgId: ctx.org.id,
        actor: ctx.actor,
        actorRole: ctx.role,
        actorProjectScope: ctx.projectScope,
        name: input.name,
        role: input.role,
        projectId: input.projectId,
        expiresAt: input.expiresAt,
        scope: input.scope,
        deployment: input.deployment,
      }),
    ),

  list: orgProcedure("ADMIN", { allowProjectTokens: true })
    .input(ZListTokensInput)
    .output(z.array(ZTokenDto))
    .query(({ ctx, input }) => listTokens({ orgId: ctx.org.id, includeRevoked: input.includeRevoked, onlyProjectId: ctx.projectScope })),

  revoke: orgProcedure("ADMIN", { allowProjectTokens: true })
    .input(ZRevokeTokenInput)
    .output(ZTokenDto)
    .mutation(({ ctx, input }) => revokeToken({ orgId: ctx.org.id, tokenId: input.tokenId, actor: ctx.actor, onlyProjectId: ctx.projectScope })),
});
