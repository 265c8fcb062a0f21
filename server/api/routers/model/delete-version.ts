import { ZDeleteResultDto } from "../../../lib/ids";
import { deleteVersion as remove } from "../../../registry/versions";
import { ZVersionRefInput } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** Deletes a version nothing refers to (no alias, approval or gate report as champion); CONFLICT otherwise. */
export const deleteVersion = projectProcedure("ADMIN")
  .input(ZVersionRefInput)
  .output(ZDeleteResultDto)
  .mutation(({ ctx, input }) => remove({ projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor, versionId: input.versionId }));
