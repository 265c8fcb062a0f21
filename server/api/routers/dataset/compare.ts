import { z } from "zod";
import { compareVersions } from "../../../datasets/compare";
import { ZCompareInput } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

const ZStat = z.object({ statistic: z.number(), pValue: z.number() });

export const compare = projectProcedure("VIEWER")
  .input(ZCompareInput)
  .output(
    z.object({
      base: z.object({ id: z.string(), label: z.string(), rowCount: z.number() }),
      target: z.object({ id: z.string(), label: z.string(), rowCount: z.number() }),
      columns: z.array(
        z.object({
          column: z.string(),
          status: z.enum(["added", "removed", "retyped", "same"]),
          baseType: z.string().nullable(),
          targetType: z.string().nullable(),
          psi: z.number().nullable(),
          ks: ZStat.nullable(),
          chiSquare: ZStat.extend({ dof: z.number() }).nullable(),
          chart: z.array(z.object({ label: z.string(), base: z.number(), target: z.number() })),
        }),
      ),
    }),
  )
  .query(({ ctx, input }) => compareVersions(ctx.project.id, input.baseVersionId, input.targetVersionId));
