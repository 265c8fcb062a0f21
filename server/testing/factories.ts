/** Test data builders. Every name is unique, so tests in one file never collide. */
import { randomBytes } from "node:crypto";
import { createCaller } from "../api/root";
import type { Context } from "../api/context";
import { createAccount } from "../auth/sign-up";
import { verifyApiBearer } from "../auth/tokens";
import { db } from "../db";
import { createToken } from "../tenancy/api-tokens";
import { createProject } from "../tenancy/projects";
import type { Identity, UserIdentity } from "../tenancy/access";
import type { Role } from "../tenancy/schemas";

export const uniq = (prefix = "x") => `${prefix}-${randomBytes(4).toString("hex")}`;
export const TEST_PASSWORD = "correct horse battery staple";

export interface TestUser extends UserIdentity {
  orgId: string;
  orgSlug: string;
}

/** Signs a user up (which creates their own org, where they are OWNER). */
export async function createUser(name = uniq("user")): Promise<TestUser> {
  const email = `${name}@example.test`;
  const { userId, orgSlug } = await createAccount({ email, name, password: TEST_PASSWORD, orgName: `${name} org` });
  const org = await db().organization.findUniqueOrThrow({ where: { slug: orgSlug } });
  return { kind: "user", userId, email, name, orgId: org.id, orgSlug };
}

/** Adds `user` to `orgId` with `role`. */
export async function addMember(orgId: string, user: { userId: string }, role: Role): Promise<void> {
  await db().membership.create({ data: { orgId, userId: user.userId, role } });
}

export async function createTestProject(orgId: string, owner: TestUser, name = uniq("project")) {
  return createProject({ orgId, name, description: "", actor: { type: "user", id: owner.userId, label: owner.email } });
}

/** A tRPC caller acting as `identity` (null: anonymous), exactly as the HTTP route would build it. */
export function callerAs(identity: Identity | null, opts: Partial<Context> = {}) {
  return createCaller({ identity, badToken: false, ip: "127.0.0.1", ...opts });
}

/** A caller for a bearer secret, resolved through the real token verification. */
export async function callerWithToken(secret: string) {
  const identity = await verifyApiBearer(secret);
  return callerAs(identity, { badToken: identity === null });
}

export async function mintToken(
  owner: TestUser,
  opts: { orgId?: string; role?: "ADMIN" | "MEMBER" | "VIEWER"; projectId?: string; expiresAt?: Date } = {},
) {
  return createToken({
    orgId: opts.orgId ?? owner.orgId,
    actor: { type: "user", id: owner.userId, label: owner.email },
    actorRole: "OWNER",
    actorProjectScope: null,
    name: uniq("token"),
    role: opts.role ?? "ADMIN",
    projectId: opts.projectId,
    expiresAt: opts.expiresAt,
  });
}

/** A training run's token (as the worker mints it for a command): logs to that run, reads its project. */
export async function mintRunToken(projectId: string, runId: string): Promise<string> {
  const { newTokenSecret } = await import("../auth/tokens");
  const project = await db().project.findUniqueOrThrow({ where: { id: projectId }, select: { orgId: true } });
  const { secret, hash, prefix } = newTokenSecret();
  await db().apiToken.create({
    data: { orgId: project.orgId, projectId, runId, name: `run ${runId}`, role: "MEMBER", prefix, secretHash: hash, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  return secret;
}
