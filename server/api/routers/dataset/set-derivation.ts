import { setDerivation as set } from "../../../datasets/derivation";
import { ZRegisterDerivedInput, ZVersionDto } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

/** Records the parents and transform of an already uploaded version that has none yet. */
export const setDerivation = projectProcedure("MEMBER")
  .input(ZRegisterDerivedInput)
  .output(ZVersionDto)
  .mutation(({ ctx, input }) =>
    set({ projectId: ctx.project.id, orgId: ctx.org.id, versionId: input.versionId, parentVersionIds: input.parentVersionIds, transform: input.transform, actor: ctx.actor }),
  );
