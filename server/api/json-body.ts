/** The JSON body of a small /api/v1 request, capped and parsed with its schema (bad JSON and bad fields are 400). */
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { AppError } from "../errors";
import { withBodyLimit } from "./body-limit";

/** Bodies of command endpoints (approve, promote …) hold a comment or a reason: 64 KiB is plenty. */
const COMMAND_BODY_LIMIT = 64 * 1024;

/** Parses the body with `schema`; an empty body reads as `{}` so every-field-optional commands need none. */
export async function readJsonBody<S extends z.ZodType>(req: Request, schema: S, limit = COMMAND_BODY_LIMIT): Promise<z.output<S>> {
  let text: string;
  try {
    text = await withBodyLimit(req, limit).text();
  } catch (err) {
    if (err instanceof TRPCError && err.code === "PAYLOAD_TOO_LARGE") throw new AppError("PAYLOAD_TOO_LARGE", err.message);
    throw err;
  }
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError("BAD_REQUEST", "The request body must be JSON (Content-Type: application/json)");
    }
  }
  return schema.parse(value);
}
