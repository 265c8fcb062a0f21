import { z } from "zod";
import { lineageGraph } from "../../../lineage/graph";
import { ZLineageInput } from "../../../datasets/schemas";
import { projectProcedure } from "../../trpc";

export const lineage = projectProcedure("VIEWER")
  .input(ZLineageInput)
  .output(
    z.object({
      nodes: z.array(
        z.object({
          key: z.string(),
          kind: z.string(),
          id: z.string(),
          label: z.string(),
          detail: z.string(),
          status: z.string().nullable(),
          column: z.number(),
          row: z.number(),
          root: z.boolean(),
        }),
      ),
      edges: z.array(z.object({ from: z.string(), to: z.string(), relation: z.string() })),
    }),
  )
  .query(({ ctx, input }) => lineageGraph({ projectId: ctx.project.id, kind: input.kind, id: input.id, direction: input.direction, depth: input.depth }));
