import { z } from "zod";
import { aliasHistory } from "../../../registry/read";
import { ZAliasEventDto, ZHistoryInput } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** Every alias move of a model, newest first (optionally of one alias). */
export const history = projectProcedure("VIEWER")
  .input(ZHistoryInput)
  .output(z.array(ZAliasEventDto))
  .query(({ ctx, input }) => aliasHistory({ projectId: ctx.project.id, modelId: input.modelId, alias: input.alias, limit: input.limit }));
