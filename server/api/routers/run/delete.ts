import { ZDeleteResultDto } from "../../../lib/ids";
import { deleteRun } from "../../../runs/delete";
import { ZDeleteRunInput } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

/** Deletes a run that has ended, with its metrics, logs and artifacts; CONFLICT while something depends on it. */
export const remove = projectProcedure("ADMIN")
  .input(ZDeleteRunInput)
  .output(ZDeleteResultDto)
  .mutation(({ ctx, input }) => deleteRun({ projectId: ctx.project.id, orgId: ctx.org.id, runId: input.runId, actor: ctx.actor }));
