import { z } from "zod";
import { ZId, ZName, ZSlug } from "../lib/ids";

export const COLUMN_TYPES = ["numeric", "integer", "boolean", "categorical", "datetime", "text"] as const;
export const ZColumnType = z.enum(COLUMN_TYPES);

export const SPLITS = ["train", "validation", "test"] as const;
export const ZSplitName = z.enum(SPLITS);
export type SplitName = z.infer<typeof ZSplitName>;

export const ZSplitConfig = z
  .object({
    ratios: z.object({ train: z.number().min(0).max(1), validation: z.number().min(0).max(1), test: z.number().min(0).max(1) }),
    /** Rows are assigned by a hash of this column's value, so a row keeps its split across versions. */
    keyColumn: z.string().min(1).max(256).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  })
  .refine((s) => Math.abs(s.ratios.train + s.ratios.validation + s.ratios.test - 1) < 1e-6, "split ratios must add up to 1");
export type SplitConfig = z.infer<typeof ZSplitConfig>;
export const DEFAULT_SPLIT: SplitConfig = { ratios: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 42 };

export const ZTransform = z.object({
  name: z.string().min(1).max(200),
  repo: z.string().max(500).optional(),
  commit: z.string().max(100).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type Transform = z.infer<typeof ZTransform>;

const ZColumnName = z.string().min(1).max(256);

/** One expectation of a data contract. */
export const ZExpectation = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("required_columns"), columns: z.array(ZColumnName).min(1).max(2000) }),
  z.object({ kind: z.literal("column_type"), column: ZColumnName, type: ZColumnType, nullable: z.boolean().default(true) }),
  z.object({ kind: z.literal("no_new_columns") }),
  z.object({ kind: z.literal("no_removed_columns") }),
  z.object({ kind: z.literal("value_range"), column: ZColumnName, min: z.number().optional(), max: z.number().optional() }),
  z.object({ kind: z.literal("allowed_values"), column: ZColumnName, values: z.array(z.string().max(1000)).min(1).max(10_000) }),
  z.object({ kind: z.literal("max_missing_share"), column: ZColumnName, max: z.number().min(0).max(1) }),
  z.object({ kind: z.literal("unique"), column: ZColumnName }),
  z.object({ kind: z.literal("row_count"), min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
  z.object({ kind: z.literal("max_psi"), column: ZColumnName.optional(), max: z.number().min(0).max(100) }),
]);
export type Expectation = z.infer<typeof ZExpectation>;
export const ZExpectations = z.array(ZExpectation).max(5000);

export const ZExpectationResult = z.object({
  kind: z.string(),
  column: z.string().nullable(),
  passed: z.boolean(),
  observed: z.unknown(),
  expected: z.unknown(),
  message: z.string(),
});
export type ExpectationResult = z.infer<typeof ZExpectationResult>;

/** Columns of a version that differ from the dataset's previous version (accepted with allowSchemaChange). */
export const ZSchemaChange = z.object({ fromNumber: z.number().int(), added: z.array(z.string()), removed: z.array(z.string()) });
export type SchemaChange = z.infer<typeof ZSchemaChange>;

// ---------------------------------------------------------------- DTOs

export const ZDatasetDto = z.object({
  id: z.string(),
  projectId: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  splitConfig: ZSplitConfig,
  versionCount: z.number(),
  latest: z
    .object({ id: z.string(), number: z.number(), rowCount: z.number().nullable(), validation: z.string(), createdAt: z.date() })
    .nullable(),
  hasContract: z.boolean(),
  createdAt: z.date(),
});
export type DatasetDto = z.infer<typeof ZDatasetDto>;

export const ZVersionDto = z.object({
  id: z.string(),
  datasetId: z.string(),
  number: z.number(),
  sha256: z.string(),
  sizeBytes: z.number(),
  format: z.enum(["CSV", "JSONL", "PARQUET"]),
  fileName: z.string(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  columns: z.array(z.string()),
  rowCount: z.number().nullable(),
  profileStatus: z.enum(["PENDING", "READY", "FAILED"]),
  profileError: z.string().nullable(),
  validation: z.enum(["PENDING", "PASSED", "FAILED", "NO_CONTRACT"]),
  split: ZSplitConfig,
  splitCounts: z.record(z.string(), z.number()).nullable(),
  transform: ZTransform.nullable(),
  schemaChange: ZSchemaChange.nullable(),
  parents: z.array(z.object({ id: z.string(), datasetId: z.string(), datasetSlug: z.string(), number: z.number() })),
  createdBy: z.string(),
  createdAt: z.date(),
});
export type VersionDto = z.infer<typeof ZVersionDto>;

export const ZValidationReportDto = z.object({
  id: z.string(),
  contractRevision: z.number(),
  passed: z.boolean(),
  results: z.array(ZExpectationResult),
  createdAt: z.date(),
});

export const ZVersionDetailDto = ZVersionDto.extend({
  profile: z.unknown().nullable(),
  report: ZValidationReportDto.nullable(),
});

export const ZContractDto = z.object({
  datasetId: z.string(),
  revision: z.number(),
  expectations: ZExpectations,
  updatedBy: z.string(),
  updatedAt: z.date(),
});

// ---------------------------------------------------------------- inputs

export const ZProjectScoped = z.object({ projectId: ZId });
export const ZDatasetRef = ZProjectScoped.extend({ datasetId: ZId });
export const ZVersionRef = ZProjectScoped.extend({ versionId: ZId });

export const ZCreateDatasetInput = ZProjectScoped.extend({
  name: ZName,
  slug: ZSlug.optional(),
  description: z.string().max(5000).default(""),
  splitConfig: ZSplitConfig.optional(),
});
export const ZUpdateDatasetInput = ZDatasetRef.extend({
  name: ZName.optional(),
  description: z.string().max(5000).optional(),
  splitConfig: ZSplitConfig.optional(),
});
export const ZGetDatasetInput = z.union([ZDatasetRef, ZProjectScoped.extend({ slug: z.string().min(1).max(64) })]);
export const ZSaveContractInput = ZDatasetRef.extend({ expectations: ZExpectations });
export const ZCompareInput = ZProjectScoped.extend({ baseVersionId: ZId, targetVersionId: ZId });
export const ZRegisterDerivedInput = ZVersionRef.extend({ parentVersionIds: z.array(ZId).min(1).max(50), transform: ZTransform });
export const ZLineageInput = ZProjectScoped.extend({
  kind: z.enum(["dataset", "dataset_version"]),
  id: ZId,
  direction: z.enum(["upstream", "downstream", "both"]).default("both"),
  depth: z.number().int().min(1).max(20).default(6),
});
