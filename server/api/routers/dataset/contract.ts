import { z } from "zod";
import { getContract, proposeContract, revalidate as revalidateVersion, saveContract as save } from "../../../datasets/contracts";
import { ZContractDto, ZDatasetRef, ZExpectations, ZSaveContractInput, ZVersionRef } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

export const contract = projectProcedure("VIEWER")
  .input(ZDatasetRef)
  .output(ZContractDto.nullable())
  .query(({ ctx, input }) => getContract(ctx.project.id, input.datasetId));

export const saveContract = projectProcedure("MEMBER")
  .input(ZSaveContractInput)
  .output(ZContractDto)
  .mutation(({ ctx, input }) => save({ projectId: ctx.project.id, orgId: ctx.org.id, datasetId: input.datasetId, expectations: input.expectations, actor: ctx.actor }));

/** Expectations the given version satisfies: a starting point to edit, not saved. */
export const proposeContractFrom = projectProcedure("VIEWER")
  .input(ZVersionRef)
  .output(ZExpectations)
  .query(({ ctx, input }) => proposeContract(ctx.project.id, input.versionId));

export const revalidate = projectProcedure("MEMBER")
  .input(ZVersionRef)
  .output(z.object({ versionId: z.string() }))
  .mutation(({ ctx, input }) => revalidateVersion(ctx.project.id, input.versionId));
