import { z } from "zod";
import { createChannel, deleteChannel, listChannels, testChannel, updateChannel } from "../../../alerts/channels";
import { ZAlertChannelDto, ZChannelRefInput, ZCreateChannelInput, ZTestResultDto, ZUpdateChannelInput } from "../../../alerts/schemas";
import { ZOrgRef } from "../../../tenancy/schemas";
import { orgProcedure } from "../../trpc";

/** Any member may see the channels (monitor rules pick from them); their secrets are never part of a DTO. */
export const channels = orgProcedure("VIEWER")
  .input(ZOrgRef)
  .output(z.array(ZAlertChannelDto))
  .query(({ ctx }) => listChannels(ctx.org.id));

export const createChannelProcedure = orgProcedure("ADMIN")
  .input(ZCreateChannelInput)
  .output(ZAlertChannelDto)
  .mutation(({ ctx, input }) => createChannel({ orgId: ctx.org.id, name: input.name, config: input.config, actor: ctx.actor }));

export const updateChannelProcedure = orgProcedure("ADMIN")
  .input(ZUpdateChannelInput)
  .output(ZAlertChannelDto)
  .mutation(({ ctx, input }) => updateChannel({ orgId: ctx.org.id, channelId: input.channelId, name: input.name, config: input.config, actor: ctx.actor }));

export const deleteChannelProcedure = orgProcedure("ADMIN")
  .input(ZChannelRefInput)
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => deleteChannel({ orgId: ctx.org.id, channelId: input.channelId, actor: ctx.actor }));

/** Sends a test message now; a receiver's refusal comes back as `{ ok: false, error }`. */
export const testChannelProcedure = orgProcedure("ADMIN")
  .input(ZChannelRefInput)
  .output(ZTestResultDto)
  .mutation(({ ctx, input }) => testChannel({ orgId: ctx.org.id, channelId: input.channelId, actor: ctx.actor }));
