import { setVersionArchived } from "../../../registry/versions";
import { ZModelVersionDto, ZVersionRefInput } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** Hides a version; refused while an alias points at it. */
export const archiveVersion = projectProcedure("ADMIN")
  .input(ZVersionRefInput)
  .output(ZModelVersionDto)
  .mutation(({ ctx, input }) => setVersionArchived({ projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor, versionId: input.versionId, archived: true }));

export const unarchiveVersion = projectProcedure("ADMIN")
  .input(ZVersionRefInput)
  .output(ZModelVersionDto)
  .mutation(({ ctx, input }) => setVersionArchived({ projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor, versionId: input.versionId, archived: false }));
