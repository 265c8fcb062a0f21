import { db } from "../db";
import { recordAudit, type Actor } from "../audit/audit";

/** Failed password sign-ins allowed per (account, address) within the window before HTTP 429. */
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60 * 1000;

export async function recentFailures(email: string, ip: string): Promise<number> {
  return db().signInAttempt.count({
    where: { email, ip, success: false, at: { gte: new Date(Date.now() - WINDOW_MS) } },
  });
}

export async function isThrottled(email: string, ip: string): Promise<boolean> {
  return (await recentFailures(email, ip)) >= MAX_FAILURES;
}

/**
 * Records a sign-in attempt. A failure against an existing account is also written to the audit
 * log of every organisation the account belongs to, so their admins see attacks on members.
 */
export async function recordSignIn(email: string, ip: string, success: boolean, reason: string): Promise<void> {
  await db().$transaction(async (tx) => {
    await tx.signInAttempt.create({ data: { email, ip, success } });
    if (success) return;
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, memberships: { select: { orgId: true } } } });
    if (!user) return;
    const actor: Actor = { type: "system", id: null, label: `sign-in from ${ip}`, ip };
    for (const m of user.memberships) {
      await recordAudit(tx, {
        orgId: m.orgId,
        actor,
        action: "auth.sign_in_failed",
        target: { type: "user", id: user.id, label: email },
        after: { reason },
      });
    }
  });
}
