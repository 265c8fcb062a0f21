import { updateDataset } from "../../../datasets/datasets";
import { ZDatasetDto, ZUpdateDatasetInput } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

/** Name, description and the split used for versions uploaded from now on (existing versions keep theirs). */
export const update = projectProcedure("MEMBER")
  .input(ZUpdateDatasetInput)
  .output(ZDatasetDto)
  .mutation(({ ctx, input }) =>
    updateDataset({ projectId: ctx.project.id, orgId: ctx.org.id, datasetId: input.datasetId, name: input.name, description: input.description, splitConfig: input.splitConfig, actor: ctx.actor }),
  );
