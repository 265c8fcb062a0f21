import { z } from "zod";
import { deleteCommand as remove, listCommands, saveCommand as save } from "../../../training/commands";
import { ZCommandDto, ZCommandInput } from "../../../training/schemas";
import { ZId } from "../../../lib/ids";
import { projectProcedure } from "../../trpc";

export const commands = projectProcedure("VIEWER").output(z.array(ZCommandDto)).query(({ ctx }) => listCommands(ctx.project.id));

/** Commands run arbitrary programs on worker hosts: ADMIN and up. */
export const saveCommand = projectProcedure("ADMIN")
  .input(ZCommandInput)
  .output(ZCommandDto)
  .mutation(({ ctx, input }) => save({ ...input, projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor }));

export const deleteCommand = projectProcedure("ADMIN")
  .input(z.object({ projectId: ZId, commandId: ZId }))
  .output(z.object({ id: z.string() }))
  .mutation(({ ctx, input }) => remove({ projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor, commandId: input.commandId }));
