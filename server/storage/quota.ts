import { db, type Tx } from "../db";
import { AppError } from "../errors";
import { env } from "../env";

export interface UploadLimits {
  /** Largest single upload in bytes. */
  maxUploadBytes: number;
  /** Bytes an organisation may store; null for no quota. */
  orgQuotaBytes: number | null;
}

/** The installation's limits (CAIRN_MAX_UPLOAD_BYTES, CAIRN_ORG_STORAGE_QUOTA_BYTES). */
export function uploadLimits(): UploadLimits {
  return { maxUploadBytes: env().CAIRN_MAX_UPLOAD_BYTES, orgQuotaBytes: env().CAIRN_ORG_STORAGE_QUOTA_BYTES || null };
}

/**
 * Bytes an organisation stores, as its rows record them: dataset versions, run artifacts and uploaded
 * model versions (a version registered from a run is its run's artifact, counted once). Each
 * row counts its size even where content addressing shares the bytes, so usage never depends on
 * another tenant's files.
 */
export async function orgStorageBytes(orgId: string, tx: Pick<Tx, "$queryRaw"> = db()): Promise<number> {
  const [row] = await tx.$queryRaw<{ bytes: bigint | null }[]>`
    SELECT (SELECT COALESCE(SUM(v."sizeBytes"), 0) FROM "DatasetVersion" v JOIN "Project" p ON p.id = v."projectId" WHERE p."orgId" = ${orgId})
         + (SELECT COALESCE(SUM(a."sizeBytes"), 0) FROM "RunArtifact" a JOIN "Project" p ON p.id = a."projectId" WHERE p."orgId" = ${orgId})
         + (SELECT COALESCE(SUM(m."sizeBytes"), 0) FROM "ModelVersion" m JOIN "Project" p ON p.id = m."projectId" WHERE p."orgId" = ${orgId} AND m."runId" IS NULL) AS bytes`;
  return Number(row?.bytes ?? 0);
}

const mb = (n: number) => `${(n / 1024 ** 2).toFixed(n < 1024 ** 2 ? 2 : 0)} MiB`;

/**
 * Counts an upload's bytes as they stream and stops it at the first byte over the limit (the
 * smaller of the maximum upload size and what is left of the org's quota), before it is stored.
 */
export class UploadBudget {
  private taken = 0;

  private constructor(
    private readonly limit: number,
    private readonly refusal: string,
  ) {}

  static async forOrg(orgId: string, limits: UploadLimits = uploadLimits()): Promise<UploadBudget> {
    const size = new UploadBudget(limits.maxUploadBytes, `The upload is larger than the maximum upload size of ${mb(limits.maxUploadBytes)}`);
    if (limits.orgQuotaBytes === null) return size;
    const left = Math.max(0, limits.orgQuotaBytes - (await orgStorageBytes(orgId)));
    if (left >= limits.maxUploadBytes) return size;
    return new UploadBudget(left, quotaRefusal(limits.orgQuotaBytes, left));
  }

  /** Refuses at once a body whose declared length (Content-Length) is already over the limit. */
  declare(bytes: number | undefined): void {
    if (bytes !== undefined && bytes > this.limit) throw new AppError("PAYLOAD_TOO_LARGE", this.refusal);
  }

  take(bytes: number): void {
    this.taken += bytes;
    if (this.taken > this.limit) throw new AppError("PAYLOAD_TOO_LARGE", this.refusal);
  }
}

const quotaRefusal = (quota: number, left: number) =>
  `The upload would pass your organisation's storage quota of ${mb(quota)} (${mb(left)} left); delete data or ask the installation's admin for more`;

/**
 * Inside the transaction that records new bytes: serialises the org's writes (a transaction-scoped
 * advisory lock) and refuses the write when, counted with everything stored meanwhile, it passes the
 * quota. Concurrent uploads that each fit alone cannot together overrun it.
 */
export async function assertWithinQuota(tx: Tx, orgId: string, addBytes: number, limits: UploadLimits = uploadLimits()): Promise<void> {
  if (limits.orgQuotaBytes === null) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`cairn-quota:${orgId}`}, 0))`;
  const used = await orgStorageBytes(orgId, tx);
  if (used + addBytes > limits.orgQuotaBytes) throw new AppError("PAYLOAD_TOO_LARGE", quotaRefusal(limits.orgQuotaBytes, Math.max(0, limits.orgQuotaBytes - used)));
}
