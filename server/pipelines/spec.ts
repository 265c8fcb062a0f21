/**
 * The pipeline definition (cairn.yaml) as zod: what a revision stores in PipelineRevision.spec.
 * Parsing YAML text into this spec with line-numbered errors lives in yaml.ts; this file is the shape.
 *
 *   name: eta-retrain
 *   params: { rounds: 200 }
 *   triggers:
 *     - dataset: trips                 # every new version of the dataset
 *     - push: { branches: [main] }     # git push webhook (GitHub / GitLab)
 *     - cron: "0 3 * * *"              # UTC
 *   concurrency: queue                 # or cancel-previous
 *   budget: { maxRunsPerDay: 10 }
 *   steps:
 *     - id: validate
 *       uses: validate-data
 *       with: { dataset: trips }
 *     - id: train
 *       uses: train
 *       resources: cpu
 *       timeout: 30m
 *       with: { trainer: gbdt, target: minutes, params: { rounds: "${{ params.rounds }}" } }
 *     - { id: evaluate, uses: evaluate, with: { split: test } }
 *     - { id: register, uses: register, with: { model: eta-gbdt } }
 *     - { id: gate, uses: gate }
 *     - id: deploy
 *       uses: deploy
 *       if: gate.passed
 *       with: { deployment: eta, strategy: canary, steps: [10, 50, 100], bakeSeconds: 600 }
 *
 * Steps run in the order written, each after the one before it, unless `needs` names others.
 * Inputs flow by kind: train reads the validated dataset version, evaluate the trained run, register
 * the run, gate the registered version, deploy the gated version (or `with` names them explicitly).
 */
import { z } from "zod";

/**
 * `${{ params.<name> }}` in a `with` string: the one definition the YAML check (yaml.ts) and the
 * engine's substitution (steps/inputs.ts) share, so what saves is exactly what runs.
 */
const PARAM_REF = String.raw`\$\{\{\s*params\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}`;
/** Every placeholder of a string (a fresh global regex: it carries match state). */
export const paramPlaceholders = () => new RegExp(PARAM_REF, "g");
/** A string that is exactly one placeholder (it takes the param's type). */
export const WHOLE_PARAM_PLACEHOLDER = new RegExp(`^${PARAM_REF}$`);

export const STEP_KINDS = ["validate-data", "train", "evaluate", "register", "gate", "deploy"] as const;
export const ZStepKind = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof ZStepKind>;

const ZStepId = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "a step id is lower-case letters, digits, - and _ (starting with a letter)");
const ZSlugRef = z.string().trim().min(1).max(100);

/** "90s", "30m", "2h" or a number of seconds; at most 24 h. */
export const ZDuration = z
  .union([z.number().int().positive(), z.string().regex(/^\d+(s|m|h)$/, 'a duration is like "90s", "30m" or "2h"')])
  .transform((v) => (typeof v === "number" ? v : Number(v.slice(0, -1)) * { s: 1, m: 60, h: 3600 }[v.slice(-1) as "s" | "m" | "h"]))
  .refine((s) => s <= 86_400, "a timeout is at most 24h");

/** `if:` conditions: a step's outcome (`gate.passed`, `gate.failed`, `train.succeeded`) or `always`. */
export const ZCondition = z.string().regex(/^(always|[a-z][a-z0-9_-]*\.(passed|failed|succeeded))$/, 'a condition is "<step id>.passed", "<step id>.failed", "<step id>.succeeded" or "always"');

const ZValidateWith = z.object({ dataset: ZSlugRef }).strict();
/** A train step's `with`; a monitor rule's training action (server/monitoring) is the same shape. */
export const ZTrainWith = z
  .object({
    /** The dataset to train on; defaults to the dataset version an earlier validate-data step checked. */
    dataset: ZSlugRef.optional(),
    trainer: z.enum(["gbdt", "ridge", "logistic", "command"]),
    /** For trainer "command": the training command's name. */
    command: z.string().trim().min(1).max(100).optional(),
    target: z.string().min(1).max(256),
    features: z.array(z.string().min(1).max(256)).max(2000).optional(),
    exclude: z.array(z.string().min(1).max(256)).max(2000).optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    experiment: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
const ZEvaluateWith = z.object({ split: z.string().min(1).max(64).default("test") }).strict();
const ZRegisterWith = z.object({ model: ZSlugRef }).strict();
const ZGateWith = z.object({}).strict();
/** A deploy step's `with`; a monitor rule's training action reuses it without the deployment's name. */
export const ZDeployWith = z
  .object({
    deployment: ZSlugRef,
    /** Environment used when the deployment does not exist yet. */
    environment: ZSlugRef.optional(),
    strategy: z.enum(["direct", "canary", "blue_green", "shadow", "ab"]).default("canary"),
    /** Canary steps in percent, ending at 100. */
    steps: z.array(z.number().int().min(1).max(100)).min(1).max(20).optional(),
    bakeSeconds: z.number().int().min(0).max(7 * 86_400).optional(),
    candidatePercent: z.number().int().min(0).max(100).optional(),
  })
  .strict();

const stepBase = {
  id: ZStepId,
  needs: z.array(ZStepId).max(20).optional(),
  if: ZCondition.optional(),
  timeout: ZDuration.optional(),
  resources: z.enum(["cpu", "gpu"]).default("cpu"),
  /** Set false to always run the step even when an earlier step with the same inputs could be reused. */
  cache: z.boolean().default(true),
};

export const ZPipelineStep = z.discriminatedUnion("uses", [
  z.object({ ...stepBase, uses: z.literal("validate-data"), with: ZValidateWith }).strict(),
  z.object({ ...stepBase, uses: z.literal("train"), with: ZTrainWith }).strict(),
  z.object({ ...stepBase, uses: z.literal("evaluate"), with: ZEvaluateWith.default({ split: "test" }) }).strict(),
  z.object({ ...stepBase, uses: z.literal("register"), with: ZRegisterWith }).strict(),
  z.object({ ...stepBase, uses: z.literal("gate"), with: ZGateWith.default({}) }).strict(),
  z.object({ ...stepBase, uses: z.literal("deploy"), with: ZDeployWith }).strict(),
]);
export type PipelineStep = z.infer<typeof ZPipelineStep>;

export const ZTrigger = z.union([
  z.object({ dataset: ZSlugRef }).strict(),
  z.object({ push: z.object({ branches: z.array(z.string().min(1).max(200)).max(50).optional() }).strict() }).strict(),
  z.object({ cron: z.string().min(9).max(100) }).strict(),
  z.object({ monitor: ZSlugRef }).strict(),
]);
export type Trigger = z.infer<typeof ZTrigger>;

export const ZPipelineSpec = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a pipeline name is lower-case letters, digits and -"),
    description: z.string().max(2000).optional(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    triggers: z.array(ZTrigger).max(20).default([]),
    concurrency: z.enum(["queue", "cancel-previous"]).default("queue"),
    budget: z.object({ maxRunsPerDay: z.number().int().min(1).max(10_000) }).strict().optional(),
    steps: z.array(ZPipelineStep).min(1).max(50),
  })
  .strict();
/** The spec after parsing (defaults filled in). Cross-step checks (unique ids, known `needs`, no cycles,
 * `if` naming an earlier step, cron syntax) are in yaml.ts, which reports them with line numbers. */
export type PipelineSpec = z.infer<typeof ZPipelineSpec>;
