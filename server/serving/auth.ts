/**
 * Who may call a deployment: a project token of its project (any role), an organisation token of its
 * organisation, or a `predict`-scoped token of its project (and of this deployment when the token
 * names one). Verification is server/auth/tokens.ts verifyBearer; its answers are cached for
 * TOKEN_CACHE_MS, so a revoked token stops working at most that long after revocation.
 */
import { bearerFrom, verifyBearer, type TokenIdentity } from "../auth/tokens";
import type { Route } from "./routes";

export const TOKEN_CACHE_MS = 30_000;
const MAX_CACHED = 10_000;

export type Caller = { status: 401; error: string } | { status: 200; identity: TokenIdentity };

export class TokenCache {
  constructor(private readonly ttlMs = TOKEN_CACHE_MS) {}

  private readonly cache = new Map<string, { identity: TokenIdentity | null; until: number }>();

  async caller(authorization: string | undefined): Promise<Caller> {
    if (authorization === undefined) return { status: 401, error: "Authorization: Bearer <api token> is required" };
    const now = Date.now();
    // Keyed by the header as sent: a hit skips parsing and hashing on the hot path.
    let hit = this.cache.get(authorization);
    if (!hit || hit.until <= now) {
      const secret = bearerFrom(new Headers({ authorization }));
      if (!secret) return { status: 401, error: "The Authorization header must be Bearer <api token>" };
      hit = { identity: await verifyBearer(secret), until: now + this.ttlMs };
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(authorization, hit);
    }
    return hit.identity ? { status: 200, identity: hit.identity } : { status: 401, error: "The API token is unknown, revoked or expired" };
  }
}

/** Whether the identity may call the route; a route it may not see is answered as unknown (404). */
export function mayCall(identity: TokenIdentity, route: Pick<Route, "deploymentId" | "projectId" | "orgId">): boolean {
  // Run tokens are minted for one training run, not for serving traffic.
  if (identity.runId !== null || identity.orgId !== route.orgId) return false;
  if (identity.scope === "predict") return identity.projectId === route.projectId && (identity.deploymentId === null || identity.deploymentId === route.deploymentId);
  return identity.projectId === null || identity.projectId === route.projectId;
}
