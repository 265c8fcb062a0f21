import { db, type Tx } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { ROLES, type MemberDto, type Role } from "./schemas";

interface ActingAs {
  orgId: string;
  actor: Actor;
  actorRole: Role;
}

export async function listMembers(orgId: string) {
  const [members, invitations] = await Promise.all([
    db().membership.findMany({ where: { orgId }, include: { user: true }, orderBy: { createdAt: "asc" } }),
    db().invitation.findMany({ where: { orgId, acceptedAt: null }, include: { invitedBy: true }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    members: members.map(toMemberDto),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, invitedBy: i.invitedBy.email, createdAt: i.createdAt })),
  };
}

function toMemberDto(m: { userId: string; role: Role; createdAt: Date; user: { email: string; name: string } }): MemberDto {
  return { userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt };
}

function ownersOnlyByOwners(args: ActingAs, ...roles: Role[]) {
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

/**
 * Adds an existing user at once; for an address without an account, records an invitation that is
 * accepted when that address signs up.
 */
export async function inviteMember(args: ActingAs & { email: string; role: Role }) {
  ownersOnlyByOwners(args, args.role);
  return db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: args.email } });
    if (user) {
      const existing = await tx.membership.findUnique({ where: { userId_orgId: { userId: user.id, orgId: args.orgId } } });
      if (existing) throw new AppError("CONFLICT", `${args.email} is already a member`);
      const m = await tx.membership.create({ data: { orgId: args.orgId, userId: user.id, role: args.role }, include: { user: true } });
      await recordAudit(tx, {
        orgId: args.orgId,
        actor: args.actor,
        action: "member.add",
        target: { type: "user", id: user.id, label: user.email },
        after: { role: args.role },
      });
      return { status: "added" as const, member: toMemberDto(m) };
    }
    if (args.actor.type !== "user") throw new AppError("BAD_REQUEST", "Tokens can add existing users only; invite new addresses from the UI");
    const invitation = await tx.invitation.upsert({
      where: { orgId_email: { orgId: args.orgId, email: args.email } },
      create: { orgId: args.orgId, email: args.email, role: args.role, invitedById: args.actor.id ?? "" },
      update: { role: args.role, acceptedAt: null },
      include: { invitedBy: true },
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "member.invite",
      target: { type: "invitation", id: invitation.id, label: args.email },
      after: { role: args.role },
    });
    return {
      status: "invited" as const,
      invitation: { id: invitation.id, email: invitation.email, role: invitation.role, invitedBy: invitation.invitedBy.email, createdAt: invitation.createdAt },
    };
  });
}

export async function cancelInvitation(args: ActingAs & { invitationId: string }) {
  return db().$transaction(async (tx) => {
    const inv = await tx.invitation.findFirst({ where: { id: args.invitationId, orgId: args.orgId, acceptedAt: null } });
    if (!inv) throw notFound("Invitation");
    await tx.invitation.delete({ where: { id: inv.id } });
    await recordAudit(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "member.invite_cancel",
      target: { type: "invitation", id: inv.id, label: inv.email },
      before: { role: inv.role },
    });
    return { id: inv.id };
  });
}

export async function setMemberRole(args: ActingAs & { userId: string; role: Role }) {
  return db().$transaction(async (tx) => {
    const m = await tx.membership.findFirst({ where: { orgId: args.orgId, userId: args.userId }, include: { user: true } });
    if (!m) throw notFound("Member");
    ownersOnlyByOwners(args, m.role, args.role);
    if (m.role === args.role) return toMemberDto(m);
    if (m.role === "OWNER") await assertNotLastOwner(tx, args.orgId, args.userId, "demoted");
    const updated = await tx.membership.update({ where: { id: m.id }, data: { role: args.role }, include: { user: true } });
    // A token may not outrank its creator: a demoted member's tokens above the new role stop working.
    const revoked = await tx.apiToken.updateMany({
      where: { orgId: args.orgId, createdById: m.userId, revokedAt: null, role: { in: ROLES.slice(0, ROLES.indexOf(args.role)) } },
      data: { revokedAt: new Date() },
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "member.role_change",
      target: { type: "user", id: m.userId, label: m.user.email },
      before: { role: m.role },
      after: { role: args.role, tokensRevoked: revoked.count },
    });
    return toMemberDto(updated);
  });
}

/** Removes a member (or lets a member leave) and revokes the API tokens that member created. */
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
    const revoked = await tx.apiToken.updateMany({
      where: { orgId: args.orgId, createdById: args.userId, revokedAt: null },
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

/** Turns pending invitations for `email` into memberships (at sign-up). */
export async function acceptInvitations(tx: Tx, user: { id: string; email: string }): Promise<string[]> {
  const pending = await tx.invitation.findMany({ where: { email: user.email, acceptedAt: null } });
  const joined: string[] = [];
  for (const inv of pending) {
    try {
      await tx.membership.create({ data: { orgId: inv.orgId, userId: user.id, role: inv.role } });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    await tx.invitation.update({ where: { id: inv.id }, data: { acceptedAt: new Date() } });
    await recordAudit(tx, {
      orgId: inv.orgId,
      actor: { type: "user", id: user.id, label: user.email },
      action: "member.join",
      target: { type: "user", id: user.id, label: user.email },
      after: { role: inv.role, invitationId: inv.id },
    });
    joined.push(inv.orgId);
  }
  return joined;
}
