import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { listPendingInvitations } from "./invitations";
import { ROLES, roleAtLeast, type MemberDto, type Role } from "./schemas";

export interface ActingAs {
  orgId: string;
  actor: Actor;
  actorRole: Role;
}

/** Members of an organisation; pending invitations only for admins and up (they name outside addresses). */
export async function listMembers(orgId: string, viewerRole: Role) {
  const [members, invitations] = await Promise.all([
    db().membership.findMany({ where: { orgId }, include: { user: true }, orderBy: { createdAt: "asc" } }),
    roleAtLeast(viewerRole, "ADMIN") ? listPendingInvitations(orgId) : [],
  ]);
  return { members: members.map(toMemberDto), invitations };
}

function toMemberDto(m: { userId: string; role: Role; createdAt: Date; user: { email: string; name: string } }): MemberDto {
  return { userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt };
}

export function ownersOnlyByOwners(args: ActingAs, ...roles: Role[]) {
  if (args.actorRole !== "OWNER" && roles.includes("OWNER")) {
    throw new AppError("FORBIDDEN", "Only an owner can grant, change or remove the OWNER role");
  }
}

/** Locks the org's owner rows and fails when `userId` is its only owner (the org would be orphaned). */
async function assertNotLastOwner(tx: Tx, orgId: string, userId: string, what: string) {
  const owners = await tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "orgId" = ${orgId} AND role = 'OWNER' FOR UPDATE`;
  if (owners.length === 1 && owners[0]?.userId === userId) {
    throw new AppError("PRECONDITION_FAILED", `The last owner cannot be ${what}; make another member an owner first`);
  }
}

export async function setMemberRole(args: ActingAs & { userId: string; role: Role }) {
  return db().$transaction(async (tx) => {
    const m = await tx.membership.findFirst({ where: { orgId: args.orgId, userId: args.userId }, include: { user: true } });
    if (!m) throw notFound("Member");
    ownersOnlyByOwners(args, m.role, args.role);
    if (m.role === args.role) return toMemberDto(m);
    if (m.role === "OWNER") await assertNotLastOwner(tx, args.orgId, args.userId, "demoted");
    const updated = await tx.membership.update({ where: { id: m.id }, data: { role: args.role }, include: { user: true } });
    // A token may not outrank the member behind it: every token descended from the demoted member
    // (made by them or by one of their tokens) that is above the new role is lowered to it.
    const capped = await tx.apiToken.updateMany({
      where: { orgId: args.orgId, rootUserId: m.userId, revokedAt: null, role: { in: ROLES.slice(0, ROLES.indexOf(args.role)) } },
      data: { role: args.role },
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "member.role_change",
      target: { type: "user", id: m.userId, label: m.user.email },
      before: { role: m.role },
      after: { role: args.role, tokensCapped: capped.count },
    });
    return toMemberDto(updated);
  });
}

/** Removes a member (or lets a member leave) and revokes every API token descended from that member. */
export async function removeMember(args: ActingAs & { userId: string }) {
  return db().$transaction(async (tx) => {
    const m = await tx.membership.findFirst({ where: { orgId: args.orgId, userId: args.userId }, include: { user: true } });
    if (!m) throw notFound("Member");
    const leaving = args.actor.type === "user" && args.actor.id === args.userId;
    if (!leaving) {
      if (args.actorRole !== "OWNER" && args.actorRole !== "ADMIN") throw new AppError("FORBIDDEN", "Only admins can remove other members");
      ownersOnlyByOwners(args, m.role);
    }
    if (m.role === "OWNER") await assertNotLastOwner(tx, args.orgId, args.userId, "removed");
    await tx.membership.delete({ where: { id: m.id } });
    // Every token descended from the member goes with them, including tokens made by their tokens.
    const revoked = await tx.apiToken.updateMany({
      where: { orgId: args.orgId, rootUserId: args.userId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: leaving ? "member.leave" : "member.remove",
      target: { type: "user", id: m.userId, label: m.user.email },
      before: { role: m.role },
      after: { tokensRevoked: revoked.count },
    });
    return { userId: m.userId };
  });
}
