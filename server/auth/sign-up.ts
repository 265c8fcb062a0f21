import { db } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { createOrgInTx } from "../tenancy/orgs";
import { acceptInvitations } from "../tenancy/members";
import { hashPassword } from "./password";
import type { SignUpInput } from "./schemas";

/**
 * Creates an account and its own organisation (the user becomes OWNER), and accepts any
 * invitations waiting for the address.
 */
export async function signUp(input: SignUpInput): Promise<{ userId: string; orgSlug: string; joinedOrgs: string[] }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
      const actor = { type: "user" as const, id: user.id, label: user.email };
      const org = await createOrgInTx(tx, { name: input.orgName ?? `${input.name}'s organisation`, ownerId: user.id, actor });
      const joinedOrgs = await acceptInvitations(tx, user);
      return { userId: user.id, orgSlug: org.slug, joinedOrgs };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "An account with this e-mail already exists");
    throw err;
  }
}
