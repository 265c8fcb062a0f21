import { db } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { createOrgInTx } from "../tenancy/orgs";
import { joinInTx, pendingInvitationByLink } from "../tenancy/invitations";
import { hashPassword } from "./password";
import { lockRateLimitKey, signUpLimitPerHour, signUpMode } from "./policy";
import type { SignUpInput } from "./schemas";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Creates an account. Through an invitation link it joins the inviting organisation; otherwise it
 * gets its own organisation (the user becomes OWNER). No invitation is accepted without its link: the
 * typed address is unverified. CONFLICT when the address is taken (seeds and tests call this; the
 * public procedure answers through `signUp`).
 */
export async function createAccount(input: SignUpInput): Promise<{ userId: string; orgSlug: string; joinedOrgs: string[] }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().$transaction(async (tx) => {
      const invitation = input.invitation ? await pendingInvitationByLink(tx, input.invitation) : null;
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
      if (invitation) {
        const joined = await joinInTx(tx, invitation, user, "link");
        return { userId: user.id, orgSlug: joined.orgSlug, joinedOrgs: [joined.orgId] };
      }
      const actor = { type: "user" as const, id: user.id, label: user.email };
      const org = await createOrgInTx(tx, { name: input.orgName ?? `${input.name}'s organisation`, ownerId: user.id, actor });
      return { userId: user.id, orgSlug: org.slug, joinedOrgs: [] };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "An account with this e-mail already exists");
    throw err;
  }
}

/**
 * Public sign-up: limited per client address, refused without an invitation link when the
 * installation is invite-only, and answering the same whether or not the address already has an
 * account (the caller signs in next; a taken address then fails like any wrong password).
 */
export async function signUp(input: SignUpInput, ip: string): Promise<{ ok: true }> {
  await reserveSignUp(ip);
  if (signUpMode() === "invite-only" && !input.invitation) {
    throw new AppError("FORBIDDEN", "Sign-up is by invitation only on this installation; open the invitation link you were sent");
  }
  try {
    await createAccount(input);
  } catch (err) {
    if (!(err instanceof AppError && err.code === "CONFLICT")) throw err;
  }
  return { ok: true };
}

/** Counts this request against the address's hourly sign-up limit, atomically, or refuses it. */
async function reserveSignUp(ip: string): Promise<void> {
  const limit = signUpLimitPerHour();
  const allowed = await db().$transaction(async (tx) => {
    await lockRateLimitKey(tx, `sign-up:${ip}`);
    const since = new Date(Date.now() - HOUR_MS);
    // Only the last hour counts; older rows of this address are dropped as it comes back.
    await tx.signUpAttempt.deleteMany({ where: { ip, at: { lt: since } } });
    const recent = await tx.signUpAttempt.count({ where: { ip, at: { gte: since } } });
    if (recent >= limit) return false;
    await tx.signUpAttempt.create({ data: { ip } });
    return true;
  });
  if (!allowed) throw new AppError("TOO_MANY_REQUESTS", `Too many sign-ups from this address (${limit} an hour). Try again later.`);
}
