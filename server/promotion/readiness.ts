/**
 * One judgement of whether a version may become champion, shared by promote (which throws the first
 * blocker) and the status answer (which lists them all): the policy's current revision, the latest
 * gate report under it, and which decisions still count. Promotion never trusts the voiding
 * consumer's timing: every decision is re-checked here against the evidence as it is now.
 */
import type { Prisma, Tx } from "../db";
import { currentRevision, storedPolicy } from "../gates/policies";
import type { ApprovalRule } from "../registry/names";
import { roleAtLeast, type Role } from "../tenancy/schemas";
import { reportSha256 } from "../gates/canonical";
import { verifyApproval } from "./evidence";
import type { ApprovalDto } from "./schemas";

export interface CurrentPolicy {
  id: string;
  revision: number;
  rule: ApprovalRule;
}

/** The model's newest policy revision and its approval rule, or null when it has no policy. */
export async function currentPolicy(tx: Tx, modelId: string): Promise<CurrentPolicy | null> {
  const row = await currentRevision(modelId, tx);
  return row ? { id: row.id, revision: row.revision, rule: storedPolicy(row).approvals } : null;
}

type Report = Prisma.GateReportModel;

/** The newest gate report of a version under a policy revision (any status), or null. */
export function latestReport(tx: Tx, versionId: string, policyRevisionId: string): Promise<Report | null> {
  return tx.gateReport.findFirst({ where: { versionId, policyRevisionId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

/** The stored report JSON still hashes to the sha256 decisions were bound to. */
export function reportIntact(report: Pick<Report, "report" | "sha256">): boolean {
  return report.sha256 !== null && report.report !== null && reportSha256(report.report) === report.sha256;
}

const outcome = (passed: boolean | null) => (passed === true ? "passed" : passed === false ? "failed" : "has no outcome");

type ApprovalRow = Prisma.ModelApprovalGetPayload<{ include: { report: true } }>;

export interface Evidence {
  version: { id: string; sha256: string };
  policy: CurrentPolicy | null;
  latest: Report | null;
}

/**
 * Every decision on the version with whether it counts now and, if not, why. Per reviewer only the
 * latest counting decision stands, so a re-run with the same outcome does not count one person twice.
 */
export async function assessApprovals(tx: Tx, orgId: string, ev: Evidence): Promise<ApprovalDto[]> {
  const rows = await tx.modelApproval.findMany({ where: { versionId: ev.version.id }, include: { report: true }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const userIds = [...new Set(rows.map((r) => r.userId))];
  const [users, memberships] = await Promise.all([
    tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }),
    tx.membership.findMany({ where: { orgId, userId: { in: userIds } }, select: { userId: true, role: true } }),
  ]);
  const roleOf = new Map<string, Role>(memberships.map((m) => [m.userId, m.role]));
  const userOf = new Map(users.map((u) => [u.id, u]));
  const counted = new Set<string>();
  return rows.map((row) => {
    let reason = invalidReason(row, ev, roleOf.get(row.userId) ?? null);
    if (reason === null && counted.has(row.userId)) reason = "superseded by the same reviewer's later decision";
    if (reason === null) counted.add(row.userId);
    return {
      id: row.id,
      gateReportId: row.gateReportId,
      decision: row.decision,
      comment: row.comment,
      user: userOf.get(row.userId) ?? { id: row.userId, name: "(deleted user)", email: "" },
      role: row.role,
      createdAt: row.createdAt,
      valid: reason === null,
      invalidReason: reason,
      voidedAt: row.voidedAt,
      voidReason: row.voidReason,
    };
  });
}

function invalidReason(row: ApprovalRow, ev: Evidence, roleNow: Role | null): string | null {
  if (row.voidedAt) return `voided: ${row.voidReason ?? "the gate outcome changed"}`;
  if (!verifyApproval(row)) return "its signature does not verify: the stored decision or its evidence was altered";
  if (row.modelSha256 !== ev.version.sha256) return "it was made on other model bytes";
  const { report } = row;
  if (!ev.policy || report.policyRevisionId !== ev.policy.id) return "it was made under an earlier policy revision";
  if (report.status !== "DONE" || row.reportSha256 !== report.sha256 || !reportIntact(report)) return "its gate report no longer matches the hash it was bound to";
  if (!ev.latest || ev.latest.status !== "DONE") return "the latest gate report has no outcome yet";
  if (report.passed !== ev.latest.passed) return `it was made on a report that ${outcome(report.passed)}; the latest report ${outcome(ev.latest.passed)}`;
  if (roleNow === null || !roleAtLeast(roleNow, ev.policy.rule.min_role)) return `the reviewer no longer holds ${ev.policy.rule.min_role} or higher`;
  return null;
}

export interface Blocker {
  code: "PRECONDITION_FAILED" | "CONFLICT";
  message: string;
}

export interface Readiness extends Evidence {
  approvals: ApprovalDto[];
  approvedCount: number;
  blockers: Blocker[];
}

/** Everything standing between `version` and the champion alias, in the order a person fixes them. */
export async function assessPromotion(
  tx: Tx,
  args: { orgId: string; modelId: string; version: { id: string; number: number; sha256: string; archivedAt: Date | null }; championVersionId: string | null },
): Promise<Readiness> {
  const { version } = args;
  const policy = await currentPolicy(tx, args.modelId);
  const latest = policy ? await latestReport(tx, version.id, policy.id) : null;
  const ev: Evidence = { version, policy, latest };
  const approvals = await assessApprovals(tx, args.orgId, ev);
  const blockers: Blocker[] = [];
  const block = (message: string, code: Blocker["code"] = "PRECONDITION_FAILED") => blockers.push({ code, message });

  if (version.archivedAt) block(`v${version.number} is archived`);
  if (args.championVersionId === version.id) block(`v${version.number} is already the champion`, "CONFLICT");
  if (!policy) block("The model has no gate policy: add one and run the gate");
  else if (!latest) block(`No gate report under policy revision ${policy.revision}: run the gate`);
  else if (latest.status === "PENDING" || latest.status === "RUNNING") block("The gate is still running");
  else if (latest.status === "FAILED") block(`The gate evaluation failed: ${latest.error ?? "see the report"}; re-run it`);
  else if (!reportIntact(latest)) block("The gate report no longer matches its stored hash: re-run the gate");
  else if (latest.passed !== true) block("The gate did not pass");
  else if (latest.championVersionId !== args.championVersionId) {
    const numbers = await versionNumbers(tx, [latest.championVersionId, args.championVersionId]);
    const name = (id: string | null) => (id ? `v${numbers.get(id) ?? "?"}` : "no champion");
    block(`The gate compared against ${name(latest.championVersionId)} but the champion is now ${name(args.championVersionId)}; re-run the gate`, "CONFLICT");
  }

  const valid = approvals.filter((a) => a.valid);
  const rejections = valid.filter((a) => a.decision === "REJECT");
  const approvedCount = valid.filter((a) => a.decision === "APPROVE").length;
  for (const r of rejections) block(`Rejected by ${r.user.name || r.user.email}${r.comment ? `: ${r.comment}` : ""}`);
  if (policy && approvedCount < policy.rule.required) {
    block(`Needs ${policy.rule.required} approval${policy.rule.required === 1 ? "" : "s"} from ${policy.rule.min_role} or higher; has ${approvedCount}`);
  }
  return { ...ev, approvals, approvedCount, blockers };
}

async function versionNumbers(tx: Tx, ids: (string | null)[]): Promise<Map<string, number>> {
  const present = ids.filter((id): id is string => id !== null);
  const rows = await tx.modelVersion.findMany({ where: { id: { in: present } }, select: { id: true, number: true } });
  return new Map(rows.map((r) => [r.id, r.number]));
}
