import { createHash, randomBytes } from "node:crypto";
import { db } from "../db";
import { roleAtLeast, type Role } from "../tenancy/schemas";

export const TOKEN_PREFIX = "cairn_";

/** A new secret, its SHA-256 (what is stored) and the short prefix shown in lists. */
export function newTokenSecret(): { secret: string; hash: string; prefix: string } {
  const secret = `${TOKEN_PREFIX}${randomBytes(30).toString("base64url")}`;
  return { secret, hash: hashToken(secret), prefix: secret.slice(0, TOKEN_PREFIX.length + 6) };
}

export const hashToken = (secret: string) => createHash("sha256").update(secret).digest("hex");

export interface TokenIdentity {
  kind: "token";
  tokenId: string;
  label: string;
  orgId: string;
  projectId: string | null;
  role: Role;
  runId: string | null;
  /** "predict": the token may call the serving endpoints only (of its project, or of `deploymentId` alone). */
  scope: string | null;
  deploymentId: string | null;
}

// lastUsedAt is written at most once a minute per token so busy CI jobs do not write on every call.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The token of an API call (tRPC, /api/v1): like verifyBearer, but a token scoped to serving
 * ("predict") is no API credential at all, so it reads as unknown there. Only the serving process
 * (server/serving/auth.ts) accepts predict tokens.
 */
export async function verifyApiBearer(secret: string): Promise<TokenIdentity | null> {
  const identity = await verifyBearer(secret);
  return identity && identity.scope !== null ? null : identity;
}

/** Resolves a bearer secret to its token, or null when unknown, revoked or expired. */
export async function verifyBearer(secret: string): Promise<TokenIdentity | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const token = await db().apiToken.findUnique({ where: { secretHash: hashToken(secret) } });
  if (!token || token.revokedAt) return null;
  const now = new Date();
  if (token.expiresAt && token.expiresAt <= now) return null;
  let role = token.role;
  if (token.runId === null) {
    // Defence in depth beside the revocation on removal and the cap on demotion: a token is worth no
    // more than the member at the root of its chain is now, and nothing once they have left the org.
    if (token.rootUserId === null) return null;
    const root = await db().membership.findUnique({ where: { userId_orgId: { userId: token.rootUserId, orgId: token.orgId } }, select: { role: true } });
    if (root === null) return null;
    if (!roleAtLeast(root.role, role)) role = root.role;
  }
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiToken.updateMany({
      where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
      data: { lastUsedAt: now },
    });
  }
  return {
    kind: "token",
    tokenId: token.id,
    label: `token ${token.name} (${token.prefix}…)`,
    orgId: token.orgId,
    projectId: token.projectId,
    role,
    runId: token.runId,
    scope: token.scope,
    deploymentId: token.deploymentId,
  };
}

/** Reads `Authorization: Bearer <secret>`; undefined when absent, "" when malformed. */
export function bearerFrom(headers: Headers): string | undefined {
  const value = headers.get("authorization");
  if (value === null) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1] ?? "";
}
