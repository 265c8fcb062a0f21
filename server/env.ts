import { z } from "zod";

/** Runtime configuration, read once from the environment. README "Configuration" lists every variable. */
const ZEnv = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (npm start sets it in embedded mode)"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  AUTH_SECRET: z.string().min(16).optional(),
  CAIRN_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** log2 of scrypt's N for new password hashes; each hash records its own parameters. */
  CAIRN_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(15),
  /** How often pg-boss looks for jobs whose worker stopped sending heartbeats. */
  CAIRN_QUEUE_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  CAIRN_VERSION: z.string().optional(),
  /** Local folder of the artifact store; shared (e.g. NFS) when workers run on other hosts. */
  CAIRN_DATA_DIR: z.string().default(".data"),
  CAIRN_ARTIFACTS_DIR: z.string().optional(),
  /** Largest single upload (a dataset version or a run artifact); a longer body is cut off with 413. */
  CAIRN_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(10 * 1024 ** 3),
  /** Bytes each organisation may store (dataset versions + run artifacts); unset or 0: no quota. */
  CAIRN_ORG_STORAGE_QUOTA_BYTES: z.coerce.number().int().min(0).default(0),
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
