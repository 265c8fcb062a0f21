import { createDataset } from "../../../datasets/datasets";
import { ZCreateDatasetInput, ZDatasetDto } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

export const create = projectProcedure("MEMBER")
  .input(ZCreateDatasetInput)
  .output(ZDatasetDto)
  .mutation(({ ctx, input }) =>
    createDataset({ projectId: ctx.project.id, orgId: ctx.org.id, name: input.name, slug: input.slug, description: input.description, splitConfig: input.splitConfig, actor: ctx.actor }),
  );
