/** Wire contracts of the serving process (Open Inference Protocol v2 REST and the row-oriented form). */
import { z } from "zod";

/** The channel deployment changes are announced on, owned by the deployments service. */
export { DEPLOYMENTS_CHANNEL } from "../deployments/schemas";

/** Largest request body the serving process reads; a longer one is answered 413. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Most rows one request may carry. */
export const MAX_ROWS = 10_000;

const ZCellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ZV2Tensor = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0)).min(1).max(2),
  datatype: z.string().min(1),
  data: z.array(ZCellValue),
});

export const ZV2InferRequest = z.object({
  id: z.string().max(200).optional(),
  inputs: z.array(ZV2Tensor).min(1),
  outputs: z.array(z.object({ name: z.string() })).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type V2InferRequest = z.infer<typeof ZV2InferRequest>;

/** v2 datatypes accepted per feature kind: floats take numbers (and BOOL), categoricals take BYTES. */
export const FLOAT_DATATYPES = new Set(["FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64", "BOOL"]);
