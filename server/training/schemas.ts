import { z } from "zod";
import { ZId, ZName } from "../lib/ids";

export const TRAINERS = ["gbdt", "ridge", "logistic", "command"] as const;
export const ZTrainer = z.enum(TRAINERS);
export type Trainer = z.infer<typeof ZTrainer>;

/** Hyper-parameters of the built-in trainers; unknown keys are refused so typos do not pass silently. */
export const ZGbdtParams = z
  .object({
    task: z.enum(["regression", "binary"]).default("regression"),
    rounds: z.number().int().min(1).max(5000).default(200),
    learningRate: z.number().gt(0).max(1).default(0.1),
    maxDepth: z.number().int().min(1).max(16).default(6),
    minLeaf: z.number().int().min(1).max(100_000).default(20),
    minChildWeight: z.number().min(0).default(1),
    lambda: z.number().min(0).default(1),
    subsample: z.number().gt(0).max(1).default(1),
    earlyStoppingRounds: z.number().int().min(1).max(1000).optional(),
    maxBins: z.number().int().min(2).max(256).default(256),
    seed: z.number().int().min(0).default(42),
  })
  .strict();
export const ZRidgeParams = z.object({ alpha: z.number().min(0).default(1) }).strict();
export const ZLogisticParams = z.object({ alpha: z.number().min(0).default(1), maxIter: z.number().int().min(1).max(10_000).default(100) }).strict();

export const ZStartTrainingInput = z.object({
  projectId: ZId,
  datasetVersionId: ZId,
  target: z.string().min(1).max(256),
  /** Feature columns; all columns but the target (and excluded ones) when omitted. */
  features: z.array(z.string().min(1).max(256)).max(2000).optional(),
  exclude: z.array(z.string().min(1).max(256)).max(2000).optional(),
  trainer: ZTrainer,
  params: z.record(z.string(), z.unknown()).default({}),
  commandId: ZId.optional(),
  resource: z.enum(["cpu", "gpu"]).default("cpu"),
  experiment: z.string().trim().min(1).max(200).default("Training"),
  name: z.string().trim().min(1).max(200).optional(),
  /** Evaluate on the test split when training finishes. */
  evaluate: z.boolean().default(true),
  sliceColumn: z.string().max(256).optional(),
  sensitiveColumn: z.string().max(256).optional(),
  /** Use a version that failed its data contract anyway; recorded on the run and in the audit log. */
  allowFailedValidation: z.boolean().optional(),
});
export type StartTrainingInput = z.infer<typeof ZStartTrainingInput>;

/** What a training run carries in Run.spec. */
export const ZTrainingSpec = ZStartTrainingInput.omit({ projectId: true, experiment: true, name: true });
export type TrainingSpec = z.infer<typeof ZTrainingSpec>;

const ZEnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "environment variable names are letters, digits and _");
/** TrainingCommand.env as stored (and as given). */
export const ZCommandEnv = z.record(ZEnvName, z.string().max(10_000));

export const ZCommandInput = z.object({
  projectId: ZId,
  name: ZName,
  /** A shell command line, e.g. `python3 train.py --epochs 20`. */
  command: z.string().trim().min(1).max(4000),
  workdir: z.string().trim().min(1).max(1000).default("."),
  timeoutSeconds: z.number().int().min(1).max(7 * 24 * 3600).default(3600),
  /** Values are write-only secrets: never returned; on an edit, a blank value keeps the saved one. */
  env: ZCommandEnv.default({}),
});

export const ZCommandDto = z.object({
  id: z.string(),
  name: z.string(),
  command: z.string(),
  workdir: z.string(),
  timeoutSeconds: z.number(),
  /** Names of the command's environment variables; their values are never returned. */
  envKeys: z.array(z.string()),
  updatedAt: z.date(),
});

export const ZRunRef = z.object({ projectId: ZId, runId: ZId });
export const ZLogsInput = ZRunRef.extend({ afterId: z.string().regex(/^\d{1,18}$/, "must be a log line id").optional(), limit: z.number().int().min(1).max(5000).default(1000) });
export const ZLogLineDto = z.object({ id: z.string(), attempt: z.number(), stream: z.string(), line: z.string(), ts: z.date() });

export const ZEvaluateInput = ZRunRef.extend({
  versionId: ZId,
  split: z.enum(["train", "validation", "test"]).default("test"),
  sliceColumn: z.string().max(256).optional(),
  sensitiveColumn: z.string().max(256).optional(),
  threshold: z.number().min(0).max(1).default(0.5),
  /** Evaluate on a version that failed its data contract anyway; recorded on the report and in the audit log. */
  allowFailedValidation: z.boolean().optional(),
});
