import { deleteVersion as deleteVersionService } from "../../../datasets/delete";
import { ZVersionRef } from "../../../datasets/schemas";
import { ZDeleteResultDto } from "../../../lib/ids";
import { projectProcedure } from "../../trpc";

/** Deletes one version; CONFLICT names the derived versions and runs that still depend on it. */
export const deleteVersion = projectProcedure("ADMIN")
  .input(ZVersionRef)
  .output(ZDeleteResultDto)
  .mutation(({ ctx, input }) => deleteVersionService({ projectId: ctx.project.id, orgId: ctx.org.id, versionId: input.versionId, actor: ctx.actor }));
