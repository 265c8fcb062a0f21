import { bearerFrom, verifyApiBearer } from "../auth/tokens";
import { currentUser } from "../auth/next-auth";
import { clientIp } from "../lib/http";
import type { Identity } from "../tenancy/access";

export interface Context {
  identity: Identity | null;
  /** True when a bearer token was sent but is unknown, revoked or expired. */
  badToken: boolean;
  ip: string | null;
  /** Set over HTTP when the caller ran out of its rate limit: seconds until it may retry. */
  retryAfterSeconds?: number;
}

/** Resolves the caller from `Authorization: Bearer` first, else the session cookie. */
export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const ip = clientIp(opts.headers);
  const bearer = bearerFrom(opts.headers);
  if (bearer !== undefined) {
    const identity = bearer ? await verifyApiBearer(bearer) : null;
    return { identity, badToken: identity === null, ip };
  }
  return { identity: await currentUser(), badToken: false, ip };
}
