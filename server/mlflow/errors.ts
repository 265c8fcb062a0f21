/**
 * MLflow's error shape: `{"error_code": …, "message": …}` with the HTTP status MLflow's server gives
 * each code. Cairn's AppError codes map onto them here, once, for every /api/2.0 endpoint.
 */
import { ZodError } from "zod";
import { appErrorFromDb, INTERNAL_MESSAGE, type AppErrorCode } from "../errors";

export type MlflowErrorCode =
  | "RESOURCE_DOES_NOT_EXIST"
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_ALREADY_EXISTS"
  | "UNAUTHENTICATED"
  | "PERMISSION_DENIED"
  | "REQUEST_LIMIT_EXCEEDED"
  | "ENDPOINT_NOT_FOUND"
  | "INTERNAL_ERROR";

/** MLflow's own status per code (mlflow/exceptions.py); RESOURCE_ALREADY_EXISTS is a 400 there too. */
const STATUS: Record<MlflowErrorCode, number> = {
  RESOURCE_DOES_NOT_EXIST: 404,
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  REQUEST_LIMIT_EXCEEDED: 429,
  ENDPOINT_NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
};

/**
 * Cairn's codes as MLflow's. A conflict or unmet precondition (a param changed, a run still running)
 * is the caller's input in MLflow's terms: 400, never a 5xx that MLflow's clients would retry.
 */
const FROM_APP: Record<AppErrorCode, MlflowErrorCode> = {
  BAD_REQUEST: "INVALID_PARAMETER_VALUE",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "PERMISSION_DENIED",
  NOT_FOUND: "RESOURCE_DOES_NOT_EXIST",
  CONFLICT: "INVALID_PARAMETER_VALUE",
  PRECONDITION_FAILED: "INVALID_PARAMETER_VALUE",
  PAYLOAD_TOO_LARGE: "INVALID_PARAMETER_VALUE",
  TOO_MANY_REQUESTS: "REQUEST_LIMIT_EXCEEDED",
};

/** An error with an explicit MLflow code (e.g. RESOURCE_ALREADY_EXISTS, which Cairn's codes do not say). */
export class MlflowError extends Error {
  constructor(
    readonly code: MlflowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MlflowError";
  }
}

export function mlflowJsonError(code: MlflowErrorCode, message: string, status = STATUS[code]): Response {
  return Response.json({ error_code: code, message }, { status });
}

/** The MLflow-shaped answer for any error a handler threw; unexpected ones never show their text. */
export function mlflowErrorResponse(req: Request, err: unknown): Response {
  if (err instanceof MlflowError) return mlflowJsonError(err.code, err.message);
  if (err instanceof ZodError) {
    return mlflowJsonError("INVALID_PARAMETER_VALUE", err.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; "));
  }
  const mapped = appErrorFromDb(err);
  if (mapped) {
    const res = mlflowJsonError(FROM_APP[mapped.code], mapped.message, mapped.code === "PAYLOAD_TOO_LARGE" ? 413 : undefined);
    if (mapped.code === "TOO_MANY_REQUESTS") res.headers.set("retry-after", "1");
    return res;
  }
  console.error(`[mlflow] ${req.method} ${new URL(req.url).pathname}:`, err);
  return mlflowJsonError("INTERNAL_ERROR", INTERNAL_MESSAGE);
}
