import { z } from "zod";
import { ZRunStatus } from "../runs/schemas";

export const ZActivityDto = z.object({
  /** The metric the overview ranks by (the project's primary metric, or an inferred test metric), and its goal. */
  metric: z.object({ key: z.string(), goal: z.enum(["min", "max"]), inferred: z.boolean() }).nullable(),
  counts: z.object({ datasets: z.number(), versions: z.number(), runs: z.number(), byStatus: z.record(ZRunStatus, z.number()) }),
  versions: z.array(
    z.object({
      id: z.string(),
      datasetSlug: z.string(),
      datasetName: z.string(),
      number: z.number(),
      rowCount: z.number().nullable(),
      profileStatus: z.string(),
      validation: z.string(),
      createdBy: z.string(),
      createdAt: z.date(),
    }),
  ),
  runs: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      experiment: z.string(),
      status: ZRunStatus,
      createdBy: z.string(),
      createdAt: z.date(),
      endedAt: z.date().nullable(),
      value: z.number().nullable(),
    }),
  ),
  /** The ranking metric of finished runs, oldest first: one point per run, for the trend chart. */
  trend: z.array(z.object({ runId: z.string(), name: z.string(), at: z.date(), value: z.number() })),
  best: z.object({ runId: z.string(), name: z.string(), value: z.number() }).nullable(),
});
export type ActivityDto = z.infer<typeof ZActivityDto>;
