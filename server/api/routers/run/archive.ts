import { setRunArchived } from "../../../runs/delete";
import { ZArchiveRunInput, ZRunDto } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

/** Hides the run from default lists (`archived: false` shows it again). */
export const archive = projectProcedure("ADMIN")
  .input(ZArchiveRunInput)
  .output(ZRunDto)
  .mutation(({ ctx, input }) => setRunArchived({ projectId: ctx.project.id, orgId: ctx.org.id, runId: input.runId, archived: input.archived, actor: ctx.actor }));
