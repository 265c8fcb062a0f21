import { z } from "zod";
import { createWorkerToken, listOrgPools, listWorkerTokens, orgPool, revokeWorkerToken, setSharedCommands, visibleWorkers } from "../../fleet/pools";
import {
  ZCreatedWorkerTokenDto,
  ZCreateWorkerTokenInput,
  ZOrgPoolAdminDto,
  ZOrgPoolDto,
  ZOrgPoolsDto,
  ZRevokeWorkerTokenInput,
  ZSetSharedCommandsInput,
  ZWorkerDto,
  ZWorkerListInput,
  ZWorkerTokenDto,
} from "../../fleet/schemas";
import { createTRPCRouter, orgProcedure, protectedProcedure, userProcedure } from "../trpc";

export const workerRouter = createTRPCRouter({
  /** The shared workers, which hold no tenant data, and the caller's organisations' own workers. */
  list: protectedProcedure
    .input(ZWorkerListInput)
    .output(z.array(ZWorkerDto))
    .query(({ ctx, input }) => visibleWorkers(ctx.identity, input.includeOffline)),

  /** Where this organisation's training commands run. */
  pool: orgProcedure("VIEWER")
    .output(ZOrgPoolDto)
    .query(({ ctx }) => orgPool(ctx.org.id, ctx.identity.kind === "user" ? ctx.identity.userId : null)),

  tokens: orgProcedure("ADMIN").output(z.array(ZWorkerTokenDto)).query(({ ctx }) => listWorkerTokens(ctx.org.id)),

  createToken: orgProcedure("ADMIN")
    .input(ZCreateWorkerTokenInput)
    .output(ZCreatedWorkerTokenDto)
    .mutation(({ ctx, input }) => createWorkerToken({ orgId: ctx.org.id, name: input.name, actor: ctx.actor })),

  revokeToken: orgProcedure("ADMIN")
    .input(ZRevokeWorkerTokenInput)
    .output(ZWorkerTokenDto)
    .mutation(({ ctx, input }) => revokeWorkerToken({ orgId: ctx.org.id, tokenId: input.tokenId, actor: ctx.actor })),

  /** Installation admins: every organisation and whether the shared workers run its commands. */
  orgPools: userProcedure.output(ZOrgPoolsDto).query(({ ctx }) => listOrgPools(ctx.user.userId)),

  setSharedCommands: userProcedure
    .input(ZSetSharedCommandsInput)
    .output(ZOrgPoolAdminDto)
    .mutation(({ ctx, input }) => setSharedCommands({ orgId: input.orgId, allowed: input.allowed, actorUserId: ctx.user.userId, actor: ctx.actor })),
});
