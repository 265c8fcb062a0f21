import { setTags as set } from "../../../runs/runs";
import { ZRunDto, ZSetTagsInput } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

export const setTags = projectProcedure("MEMBER", { runTokens: "own-run" })
  .input(ZSetTagsInput)
  .output(ZRunDto)
  .mutation(({ ctx, input }) => set({ projectId: ctx.project.id, runId: input.runId, tags: input.tags, removeTags: input.removeTags, note: input.note }));
