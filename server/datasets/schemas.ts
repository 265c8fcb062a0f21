import { z } from "zod";
import { ZId, ZName, ZSlug } from "../lib/ids";
import type { AssertTrue, SameShape } from "../lib/type-checks";
import type { DatasetProfile } from "../ml/profile";

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

// ---------------------------------------------------------------- stored profile

/** Quantiles of a numeric column, as the profiler computes them. */
export const ZQuantiles = z.object({ p1: z.number(), p5: z.number(), p25: z.number(), p50: z.number(), p75: z.number(), p95: z.number(), p99: z.number() });
export type Quantiles = z.infer<typeof ZQuantiles>;

export const ZColumnHistogram = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("numeric"), edges: z.array(z.number()), counts: z.array(z.number()) }),
  z.object({ kind: z.literal("categorical"), top: z.array(z.object({ value: z.string(), count: z.number() })), otherCount: z.number() }),
]);

/** The reference binning PSI compares other versions against (server/ml/psi.ts PsiReference). */
const ZPsiReference = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("numeric"),
    binning: z.enum(["values", "ranges"]),
    cuts: z.array(z.number()),
    counts: z.array(z.number()),
    missing: z.number(),
    integral: z.boolean(),
    max: z.number().nullable(),
    approx: z.boolean(),
  }),
  z.object({ kind: z.literal("categorical"), categories: z.array(z.string()), counts: z.array(z.number()), missing: z.number(), approx: z.boolean() }),
]);

export const ZColumnProfile = z.object({
  name: z.string(),
  type: ZColumnType,
  nullable: z.boolean(),
  count: z.number(),
  missing: z.number(),
  missingShare: z.number(),
  distinct: z.number(),
  distinctApprox: z.boolean(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  minText: z.string().nullable().optional(),
  maxText: z.string().nullable().optional(),
  quantiles: ZQuantiles.nullable(),
  histogram: ZColumnHistogram.nullable(),
  sample: z.array(z.number()),
  quantilesApprox: z.boolean(),
  /** Profiles written before PSI references were stored lack it. */
  psiReference: ZPsiReference.nullable().optional(),
});
export type ColumnProfile = z.infer<typeof ZColumnProfile>;

/** DatasetVersion.profile: what server/ml/profile.ts computes (checked below to be the same shape). */
export const ZStoredProfile = z.object({ rowCount: z.number(), columns: z.array(ZColumnProfile) });
export type StoredProfile = z.infer<typeof ZStoredProfile>;

// A field added to the profiler but not here (or the reverse) fails the type check.
export type _ProfileShape = AssertTrue<SameShape<StoredProfile, DatasetProfile>>;

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
  archivedAt: z.date().nullable(),
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
  profile: ZStoredProfile.nullable(),
  /** Columns to leave out of a model by default (identifiers, constants), with the reason shown in the training form. */
  featureAdvice: z.array(z.object({ column: z.string(), reason: z.enum(["identifier", "constant"]), detail: z.string() })),
  /** Integer and few-valued numeric columns: exact bars (one per value, or integer-aligned ranges) instead of the equal-width histogram. */
  exactHistograms: z.record(z.string(), z.array(z.object({ label: z.string(), count: z.number() }))),
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
export const ZListDatasetsInput = ZProjectScoped.extend({ includeArchived: z.boolean().default(false) });
export const ZArchiveDatasetInput = ZDatasetRef.extend({ archived: z.boolean().default(true) });
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

const ZCategoryChange = z.object({ top: z.array(z.object({ value: z.string(), count: z.number() })), count: z.number(), rows: z.number(), share: z.number() });
/** One column of a version comparison: schema change and, once the compare job ran, full-data drift. */
export const ZCompareColumn = z.object({
  column: z.string(),
  status: z.enum(["added", "removed", "retyped", "same"]),
  baseType: z.string().nullable(),
  targetType: z.string().nullable(),
  skipped: z.enum(["identifier-like", "free text"]).nullable(),
  psi: z.number().nullable(),
  ks: z.object({ statistic: z.number(), pValue: z.number(), method: z.enum(["exact", "asymp"]), n1: z.number(), n2: z.number(), sampled: z.boolean() }).nullable(),
  chiSquare: z.object({ statistic: z.number(), pValue: z.number(), dof: z.number(), n1: z.number(), n2: z.number(), pooled: z.number() }).nullable(),
  chiSquareNote: z.string().nullable(),
  newCategories: ZCategoryChange.nullable(),
  vanishedCategories: ZCategoryChange.nullable(),
  drifted: z.boolean(),
  chart: z.array(z.object({ label: z.string(), base: z.number(), target: z.number() })),
});
export type CompareColumn = z.infer<typeof ZCompareColumn>;
export const ZCompareColumns = z.array(ZCompareColumn);
const ZCompareSide = z.object({ id: z.string(), label: z.string(), rowCount: z.number() });
/** A version comparison: PENDING/RUNNING while the compare job reads both versions, then READY or FAILED. */
export const ZCompareDto = z.object({
  status: z.enum(["PENDING", "RUNNING", "READY", "FAILED"]),
  error: z.string().nullable(),
  base: ZCompareSide,
  target: ZCompareSide,
  /** Schema changes are known from the profiles at once; drift fields are empty until READY. */
  columns: z.array(ZCompareColumn),
});
export type CompareDto = z.infer<typeof ZCompareDto>;
