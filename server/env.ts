import { z } from "zod";

/** Runtime configuration, read once from the environment. README "Configuration" lists every variable. */
const ZEnv = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (npm start sets it in embedded mode)"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  AUTH_SECRET: z.string().min(16).optional(),
  /** Encrypts alert channel secrets at rest (server/alerts/crypto.ts); npm start generates one under CAIRN_DATA_DIR. */
  CAIRN_SECRET_KEY: z.string().min(32, "CAIRN_SECRET_KEY must be at least 32 characters (e.g. openssl rand -base64 32)").optional(),
  CAIRN_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Statement timeout of queries shaped by a caller (run filters); 0 turns it off. Workers' queries are not affected. */
  CAIRN_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** `1`: alert webhooks may not reach private, loopback or shared networks either (installations shared by several organisations). */
  CAIRN_ALERTS_BLOCK_PRIVATE: z.enum(["0", "1"]).default("0"),
  /** log2 of scrypt's N for new password hashes; each hash records its own parameters. */
  CAIRN_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(15),
  /** How often pg-boss looks for jobs whose worker stopped sending heartbeats. */
  CAIRN_QUEUE_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  CAIRN_VERSION: z.string().optional(),
  /** Local data folder; artifacts live in <CAIRN_DATA_DIR>/artifacts unless CAIRN_ARTIFACT_STORE is set. */
  CAIRN_DATA_DIR: z.string().default(".data"),
  CAIRN_ARTIFACTS_DIR: z.string().optional(),
  /** `s3://bucket/prefix`: artifacts in an S3-compatible bucket (README "Several hosts with S3"). */
  CAIRN_ARTIFACT_STORE: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, "CAIRN_ARTIFACT_STORE must look like s3://bucket or s3://bucket/prefix")
    .optional(),
  /** Largest single upload (a dataset version or a run artifact); a longer body is cut off with 413. */
  CAIRN_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(10 * 1024 ** 3),
  /** Bytes each organisation may store (dataset versions + run artifacts); unset or 0: no quota. */
  CAIRN_ORG_STORAGE_QUOTA_BYTES: z.coerce.number().int().min(0).default(0),
  /** Prediction log entries a serving process holds before it drops new ones (counted on /metrics). */
  CAIRN_PREDICTION_LOG_BUFFER: z.coerce.number().int().min(1).max(10_000_000).default(50_000),
  /** How often a serving process adds its request, error and latency counts to Postgres (ServingHealthSample). */
  CAIRN_SERVE_HEALTH_FLUSH_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Days of serving health samples kept; the serving processes delete older ones about hourly. */
  CAIRN_SERVE_HEALTH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Time a serving request's body may take to arrive after its headers; a slower one gets 408 and its socket closed. */
  CAIRN_SERVE_BODY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** ONNX Runtime threads per model session in a serving process (1: a request's one row is scored on the event loop's thread, nothing spins). */
  CAIRN_SERVE_ORT_THREADS: z.coerce.number().int().min(1).max(256).default(1),
  /** Most rows a serving process scores in one ONNX Runtime run when requests to a model wait at once (1: no batching). */
  CAIRN_SERVE_MAX_BATCH_ROWS: z.coerce.number().int().min(1).max(10_000).default(256),
  /** Shadow scorings a serving process runs at once; mirrored requests over it are dropped (counted on /metrics). */
  CAIRN_SERVE_SHADOW_MAX_INFLIGHT: z.coerce.number().int().min(0).max(100_000).default(256),
});

export type Env = z.infer<typeof ZEnv>;

let cached: Env | undefined;

export function env(): Env {
  cached ??= ZEnv.parse(process.env);
  return cached;
}

export function authSecret(): string {
  const secret = env().NEXTAUTH_SECRET ?? env().AUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set (npm start generates one under .data/ in embedded mode)");
  return secret;
}
