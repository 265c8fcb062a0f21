import { setAlias as set } from "../../../registry/aliases";
import { ZModelDto, ZSetAliasInput } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** Points an alias at a version; `champion` is refused (it moves only through promotion). */
export const setAlias = projectProcedure("MEMBER")
  .input(ZSetAliasInput)
  .output(ZModelDto)
  .mutation(({ ctx, input }) => set({ projectId: ctx.project.id, orgId: ctx.org.id, actor: ctx.actor, versionId: input.versionId, alias: input.alias }));
