import { db } from "../db";
import { recordAudit, type Actor } from "../audit/audit";
import { lockRateLimitKey, signInFailuresPerAddress } from "./policy";

/** Failed password sign-ins allowed per (account, address) within the window before HTTP 429. */
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60 * 1000;

const failuresSince = () => ({ success: false, at: { gte: new Date(Date.now() - WINDOW_MS) } });

export async function isThrottled(email: string, ip: string): Promise<boolean> {
  const [perAccount, perAddress] = await Promise.all([
    db().signInAttempt.count({ where: { email, ip, ...failuresSince() } }),
    db().signInAttempt.count({ where: { ip, ...failuresSince() } }),
  ]);
  return perAccount >= MAX_FAILURES || perAddress >= signInFailuresPerAddress();
}

/**
 * Reserves one sign-in attempt before the password is checked, or returns null when a limit is
 * reached. The attempt is recorded as a failure up front, under a per-address lock, so that
 * concurrent attempts each see the ones before them: 30 at once evaluate at most MAX_FAILURES
 * passwords. `finishSignIn` turns it into a success when the password was right.
 */
export async function reserveSignIn(email: string, ip: string): Promise<bigint | null> {
  return db().$transaction(async (tx) => {
    // Per address covers both limits: the per-account one also counts only this address's attempts.
    await lockRateLimitKey(tx, `sign-in:${ip}`);
    const perAccount = await tx.signInAttempt.count({ where: { email, ip, ...failuresSince() } });
    if (perAccount >= MAX_FAILURES) return null;
    const perAddress = await tx.signInAttempt.count({ where: { ip, ...failuresSince() } });
    // Across accounts too, against password spraying from one address.
    if (perAddress >= signInFailuresPerAddress()) return null;
    const attempt = await tx.signInAttempt.create({ data: { email, ip, success: false }, select: { id: true } });
    return attempt.id;
  });
}

/**
 * Settles a reserved attempt. A failure against an existing account is also written to the audit log
 * of every organisation the account belongs to, so their admins see attacks on members.
 */
export async function finishSignIn(attemptId: bigint, email: string, ip: string, success: boolean, reason: string): Promise<void> {
  await db().$transaction(async (tx) => {
    if (success) {
      await tx.signInAttempt.update({ where: { id: attemptId }, data: { success: true } });
      return;
    }
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
