import { versionDto } from "../../../registry/read";
import { ZModelVersionDto, ZVersionRefInput } from "../../../registry/schemas";
import { projectProcedure } from "../../trpc";

/** One version: signature, encoding spec, metrics snapshot, lineage and aliases. */
export const version = projectProcedure("VIEWER")
  .input(ZVersionRefInput)
  .output(ZModelVersionDto)
  .query(({ ctx, input }) => versionDto(ctx.project.id, input.versionId));
