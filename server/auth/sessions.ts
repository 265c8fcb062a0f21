import { db } from "../db";
import type { UserIdentity } from "../tenancy/access";

/** How long a session lives without being used (the session cookie's own lifetime is the same). */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;
// lastSeenAt (and the sliding expiry) is written at most once a minute per session, not on every request.
const TOUCH_RESOLUTION_MS = 60_000;

/** Records a new signed-in session; its id goes into the session cookie. */
export async function createSession(userId: string, ip: string | null): Promise<{ id: string }> {
  // Ended sessions are kept a while (they say when and from where someone signed in), then dropped here
  // so that the table does not grow with every sign-in.
  const cutoff = new Date(Date.now() - SESSION_MAX_AGE_S * 1000);
  await db().session.deleteMany({ where: { userId, OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }] } });
  return db().session.create({
    data: { userId, ip, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000) },
    select: { id: true },
  });
}

/**
 * The user of a session cookie's claims, or null when the session was signed out, revoked or expired
 * (or the cookie predates server-side sessions and carries no session id).
 */
export async function resolveSession(claims: { userId: string | undefined; sessionId: string | undefined }): Promise<UserIdentity | null> {
  if (!claims.userId || !claims.sessionId) return null;
  const session = await db().session.findUnique({
    where: { id: claims.sessionId },
    select: { userId: true, revokedAt: true, expiresAt: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  const now = new Date();
  if (!session || session.userId !== claims.userId || session.revokedAt !== null || session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_RESOLUTION_MS) {
    await db().session.updateMany({
      where: { id: claims.sessionId, revokedAt: null, lastSeenAt: { lt: new Date(now.getTime() - TOUCH_RESOLUTION_MS) } },
      data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) },
    });
  }
  return { kind: "user", userId: session.user.id, email: session.user.email, name: session.user.name, sessionId: claims.sessionId };
}

/** Signs one session out on the server, so that its cookie stops working even if it was copied. */
export async function revokeSession(sessionId: string): Promise<void> {
  await db().session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** "Sign out everywhere": revokes every session of the user; returns how many were still active. */
export async function revokeAllSessions(userId: string): Promise<{ revoked: number }> {
  const result = await db().session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return { revoked: result.count };
}
