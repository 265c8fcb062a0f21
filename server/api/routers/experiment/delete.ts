import { ZDeleteResultDto } from "../../../lib/ids";
import { deleteExperiment } from "../../../runs/delete";
import { ZDeleteExperimentInput } from "../../../runs/schemas";
import { projectProcedure } from "../../trpc";

/** Deletes an experiment with all its runs, under the rules for deleting a run. */
export const remove = projectProcedure("ADMIN")
  .input(ZDeleteExperimentInput)
  .output(ZDeleteResultDto)
  .mutation(({ ctx, input }) => deleteExperiment({ projectId: ctx.project.id, orgId: ctx.org.id, experimentId: input.experimentId, actor: ctx.actor }));
