/**
 * What binds a decision to its evidence: the SHA-256 of a gate report's canonical JSON, and an HMAC
 * over the approval's evidence fields with a key derived from the server secret. A row edited in the
 * database (another decision, another report hash, another user) no longer verifies.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { authSecret } from "../env";

/**
 * JSON with object keys sorted (UTF-16 code units, as RFC 8785) at every depth. jsonb re-orders keys
 * and JSON.stringify keeps insertion order, so only a sorted form hashes the same before and after
 * a round trip through Postgres.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
}

/** SHA-256 (hex) of a gate report's canonical JSON: what GateReport.sha256 must equal. */
export function reportSha256(report: unknown): string {
  return createHash("sha256").update(canonicalJson(report)).digest("hex");
}

let approvalKey: Buffer | undefined;

/**
 * A key used only for approvals (HKDF-SHA256 of the server secret, info "cairn.approvals.v1"): a MAC
 * made here is never valid as a session token or anything else signed with the secret.
 */
function key(): Buffer {
  approvalKey ??= Buffer.from(hkdfSync("sha256", authSecret(), "", "cairn.approvals.v1", 32));
  return approvalKey;
}

/** The evidence fields an approval's HMAC covers. */
export interface ApprovalEvidence {
  versionId: string;
  gateReportId: string;
  reportSha256: string;
  modelSha256: string;
  decision: "APPROVE" | "REJECT";
  userId: string;
  role: string;
  comment: string;
  createdAt: Date;
}

// A JSON array in a fixed order: unambiguous (no field can run into the next) and versioned.
function canonicalEvidence(e: ApprovalEvidence): string {
  return JSON.stringify([
    "cairn.approval.v1",
    e.versionId,
    e.gateReportId,
    e.reportSha256,
    e.modelSha256,
    e.decision,
    e.userId,
    e.role,
    e.comment,
    e.createdAt.toISOString(),
  ]);
}

/** HMAC-SHA256 (hex) of an approval's evidence. */
export function signApproval(e: ApprovalEvidence): string {
  return createHmac("sha256", key()).update(canonicalEvidence(e)).digest("hex");
}

/** True when the stored HMAC matches the stored fields (compared in constant time). */
export function verifyApproval(row: ApprovalEvidence & { hmac: string }): boolean {
  const expected = Buffer.from(signApproval(row), "hex");
  const actual = Buffer.from(row.hmac, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
