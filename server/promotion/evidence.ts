/**
 * What binds a decision to its evidence: the gate report's SHA-256 (server/gates/canonical.ts), the
 * model's SHA-256, and an HMAC over them and the decision with a key derived from the server secret.
 * A row edited in the database (another decision, report hash or user) no longer verifies.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { authSecret } from "../env";

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
