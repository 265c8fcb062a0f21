import { db } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit/audit";
import { hashPassword, verifyPassword } from "./password";
import type { AccountDto } from "./schemas";

/** The signed-in user's account: name, e-mail and the sessions still active, this one marked. */
export async function getAccount(args: { userId: string; sessionId: string | null }): Promise<AccountDto> {
  const user = await db().user.findUniqueOrThrow({ where: { id: args.userId }, select: { id: true, email: true, name: true, createdAt: true } });
  const sessions = await db().session.findMany({
    where: { userId: args.userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, ip: true, createdAt: true, lastSeenAt: true },
  });
  return { ...user, sessions: sessions.map((s) => ({ ...s, current: s.id === args.sessionId })) };
}

/** Ends every session of the user but the one making the request. */
export async function signOutOtherSessions(args: { userId: string; sessionId: string | null }): Promise<{ revoked: number }> {
  const result = await db().session.updateMany({
    where: { userId: args.userId, revokedAt: null, ...(args.sessionId ? { id: { not: args.sessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  return { revoked: result.count };
}

/**
 * Changes the password after checking the current one. Every other session ends (whoever knew the
 * old password may be signed in elsewhere); the change is in the audit log of each of the user's
 * organisations, in the same transaction.
 */
export async function changePassword(args: { userId: string; email: string; sessionId: string | null; current: string; next: string; ip: string | null }): Promise<{ revokedSessions: number }> {
  const user = await db().user.findUniqueOrThrow({ where: { id: args.userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(args.current, user.passwordHash))) throw new AppError("BAD_REQUEST", "currentPassword: the current password is not right");
  if (args.current === args.next) throw new AppError("BAD_REQUEST", "newPassword: the new password must differ from the current one");
  const passwordHash = await hashPassword(args.next);
  return db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: args.userId }, data: { passwordHash } });
    const revoked = await tx.session.updateMany({
      where: { userId: args.userId, revokedAt: null, ...(args.sessionId ? { id: { not: args.sessionId } } : {}) },
      data: { revokedAt: new Date() },
    });
    const memberships = await tx.membership.findMany({ where: { userId: args.userId }, select: { orgId: true } });
    for (const m of memberships) {
      await recordAudit(tx, {
        orgId: m.orgId,
        actor: { type: "user", id: args.userId, label: args.email, ip: args.ip },
        action: "user.password_change",
        target: { type: "user", id: args.userId, label: args.email },
        after: { otherSessionsEnded: revoked.count },
      });
    }
    return { revokedSessions: revoked.count };
  });
}
