import { z } from "zod";
import { diffRevisions, getDefaultPolicy, getPolicy, listRevisions, savePolicy as save } from "../../../gates/policies";
import { ZGatePolicy } from "../../../gates/policy";
import { ZDefaultPolicyInput, ZDiffRevisionsInput, ZModelRef, ZPolicyDiffDto, ZPolicyDto, ZRevisionDto, ZSavePolicyInput } from "../../../gates/schemas";
import { projectProcedure } from "../../trpc";

/** The model's current gate policy (object and YAML); the default one with revision null until one is saved. */
export const policy = projectProcedure("VIEWER")
  .input(ZModelRef)
  .output(ZPolicyDto)
  .query(({ ctx, input }) => getPolicy({ projectId: ctx.project.id, modelId: input.modelId }));

/** Every revision of the policy, newest first. */
export const revisions = projectProcedure("VIEWER")
  .input(ZModelRef)
  .output(z.array(ZRevisionDto))
  .query(({ ctx, input }) => listRevisions({ projectId: ctx.project.id, modelId: input.modelId }));

/** Line diff of the YAML between two revisions (0 = empty). */
export const diff = projectProcedure("VIEWER")
  .input(ZDiffRevisionsInput)
  .output(ZPolicyDiffDto)
  .query(({ ctx, input }) => diffRevisions({ projectId: ctx.project.id, modelId: input.modelId, from: input.from, to: input.to }));

/** Saves a new revision (YAML or form object); bad YAML is a BAD_REQUEST naming the line. */
export const savePolicy = projectProcedure("ADMIN")
  .input(ZSavePolicyInput)
  .output(ZPolicyDto)
  .mutation(({ ctx, input }) =>
    save({ projectId: ctx.project.id, orgId: ctx.org.id, modelId: input.modelId, yaml: input.yaml, policy: input.policy, comment: input.comment, actor: ctx.actor }),
  );

/** The default policy of the model's task (the editor's starting point). */
export const defaultPolicy = projectProcedure("VIEWER")
  .input(ZDefaultPolicyInput)
  .output(z.object({ yaml: z.string(), policy: ZGatePolicy }))
  .query(({ ctx, input }) => getDefaultPolicy({ projectId: ctx.project.id, modelId: input.modelId }));
