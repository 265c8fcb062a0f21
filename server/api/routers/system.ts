import { z } from "zod";
import { checkHealth } from "../../system/health";
import { getPing, recentPings, requestPing } from "../../system/ping";
import { ZGetPingInput, ZHealthDto, ZPingDto, ZPingInput } from "../../system/schemas";
import { createTRPCRouter, orgProcedure, protectedProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  /** Enqueues a system.ping job and returns at once; poll `getPing` for the worker's answer. */
  ping: orgProcedure("MEMBER")
    .input(ZPingInput)
    .output(ZPingDto)
    .mutation(({ ctx, input }) => requestPing({ orgId: ctx.org.id, actor: ctx.actor, holdMs: input.holdMs })),

  getPing: orgProcedure("VIEWER").input(ZGetPingInput).output(ZPingDto).query(({ ctx, input }) => getPing({ orgId: ctx.org.id, pingId: input.pingId })),

  pings: orgProcedure("VIEWER").output(z.array(ZPingDto)).query(({ ctx }) => recentPings(ctx.org.id)),

  health: protectedProcedure.output(ZHealthDto).query(() => checkHealth()),
});
