import { z } from "zod";

/** Items one feedback request may carry. */
export const FEEDBACK_MAX_ITEMS = 1000;
/** Labels one item may carry (one per row of the scored request). */
export const FEEDBACK_MAX_LABELS = 10_000;

/** A request id as the serving process answers it (header and body); no control characters. */
export const ZRequestId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/, "must not contain control characters");

/** A ground-truth value: a number (regression, probability), a class label or a boolean. */
export const ZFeedbackLabel = z.union([z.number(), z.string().max(1000).regex(/^[^\u0000]*$/, "must not contain NUL"), z.boolean(), z.null()]);

export const ZFeedbackItem = z.object({
  requestId: ZRequestId,
  labels: z.array(ZFeedbackLabel).min(1).max(FEEDBACK_MAX_LABELS),
});
export type FeedbackItem = z.infer<typeof ZFeedbackItem>;

const ZFeedbackBatch = z.object({ items: z.array(ZFeedbackItem.strict()).min(1).max(FEEDBACK_MAX_ITEMS) }).strict();

/**
 * POST body: one item, or `{ items: [...] }` with up to FEEDBACK_MAX_ITEMS. Chosen by the `items`
 * key rather than a union, so a bad body is answered with the field at fault, not "Invalid input".
 */
export function parseFeedbackBody(value: unknown): FeedbackItem[] {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "items" in value) return ZFeedbackBatch.parse(value).items;
  return [ZFeedbackItem.strict().parse(value)];
}

export const ZFeedbackResult = z.object({
  /** Items stored by this request. */
  stored: z.number().int(),
  /** Items already stored with the same labels (a retried post): accepted, nothing written. */
  unchanged: z.number().int(),
});
export type FeedbackResult = z.infer<typeof ZFeedbackResult>;

/** GET …/predictions query: oldest first from `after` (a log id) or `since`, up to `limit`. */
export const ZPredictionsQuery = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
  after: z.string().regex(/^\d{1,18}$/, "must be a prediction id from a previous page").optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  role: z.enum(["primary", "shadow"]).optional(),
  /** Only predictions whose request has feedback. */
  labelled: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
});
export type PredictionsQuery = z.infer<typeof ZPredictionsQuery>;

export const ZPredictionDto = z.object({
  id: z.string(),
  requestId: z.string(),
  versionId: z.string(),
  role: z.enum(["primary", "shadow"]),
  inputs: z.unknown(),
  outputs: z.unknown(),
  latencyMs: z.number(),
  predictedAt: z.string(),
  labels: z.array(ZFeedbackLabel).nullable(),
  labelledAt: z.string().nullable(),
});
export type PredictionDto = z.infer<typeof ZPredictionDto>;

export const ZPredictionPage = z.object({ predictions: z.array(ZPredictionDto), next: z.string().nullable() });
export type PredictionPage = z.infer<typeof ZPredictionPage>;
