import { randomBytes } from "node:crypto";
import { db, type Tx } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { hashToken } from "../auth/tokens";
import { recordAudit, type Actor } from "../audit/audit";
import { rootUserOf } from "./api-tokens";
import { ownersOnlyByOwners, type ActingAs } from "./members";
import type { Role } from "./schemas";
import { publicBaseUrl } from "../lib/public-url";

/** An invitation link stops working after this long; inviting the address again makes a new one. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const validSince = () => new Date(Date.now() - INVITATION_TTL_MS);

export function invitationLink(secret: string): string {
  return `${publicBaseUrl()}/invite/${secret}`;
}

/**
 * Hands an invitation link to its recipient. Cairn sends no e-mail yet, so the link is printed to the
 * server console (embedded mode shows it in the terminal) besides being shown once to the inviter;
 * e-mail delivery plugs in here.
 */
export function deliverInvitation(args: { email: string; orgName: string; role: Role; invitedBy: string; link: string }): void {
  console.log(`[cairn] invitation for ${args.email} to join ${args.orgName} as ${args.role} (from ${args.invitedBy}): ${args.link}`);
}

type InvitationRow = { id: string; email: string; role: Role; createdAt: Date; invitedBy: { email: string } };
const toDto = (i: InvitationRow) => ({ id: i.id, email: i.email, role: i.role, invitedBy: i.invitedBy.email, createdAt: i.createdAt });

/** Pending, unexpired invitations of an organisation (for its admins). */
export async function listPendingInvitations(orgId: string) {
  const rows = await db().invitation.findMany({
    where: { orgId, acceptedAt: null, createdAt: { gte: validSince() } },
    include: { invitedBy: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toDto);
}

/**
 * Invites an address with a one-time link. Nobody is added directly: an address that already has an
 * account also sees the invitation among its own and accepts or declines it there. The answer is the
 * same whether or not the address has an account.
 */
export async function inviteMember(args: ActingAs & { email: string; role: Role }) {
  ownersOnlyByOwners(args, args.role);
  const secret = randomBytes(32).toString("base64url");
  const invitation = await db().$transaction(async (tx) => {
    const inviterId = await rootUserOf(tx, args.actor);
    if (inviterId === null) throw new AppError("FORBIDDEN", "This token has no member behind it and cannot invite");
    const user = await tx.user.findUnique({ where: { email: args.email }, select: { id: true } });
    if (user && (await tx.membership.findUnique({ where: { userId_orgId: { userId: user.id, orgId: args.orgId } } }))) {
      // Admins see the member list anyway, so this reveals nothing they could not read.
      throw new AppError("CONFLICT", `${args.email} is already a member`);
    }
    const fields = { role: args.role, secretHash: hashToken(secret), userId: user?.id ?? null, invitedById: inviterId };
    const row = await tx.invitation.upsert({
      where: { orgId_email: { orgId: args.orgId, email: args.email } },
      create: { orgId: args.orgId, email: args.email, ...fields },
      // Inviting again replaces the link (the old one stops working) and restarts its validity.
      update: { ...fields, acceptedAt: null, createdAt: new Date() },
      include: { invitedBy: true, org: true },
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "member.invite",
      target: { type: "invitation", id: row.id, label: args.email },
      after: { role: args.role },
    });
    return row;
  });
  const link = invitationLink(secret);
  deliverInvitation({ email: invitation.email, orgName: invitation.org.name, role: invitation.role, invitedBy: invitation.invitedBy.email, link });
  return { invitation: toDto(invitation), link };
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

const pendingByLink = (secret: string) => ({ secretHash: hashToken(secret), acceptedAt: null, createdAt: { gte: validSince() } });

/** What an invitation link offers; NOT_FOUND for an unknown, used or expired link. */
export async function previewInvitation(secret: string) {
  const inv = await db().invitation.findFirst({ where: pendingByLink(secret), include: { org: true, invitedBy: true } });
  if (!inv) throw notFound("Invitation");
  return { orgName: inv.org.name, email: inv.email, role: inv.role, invitedBy: inv.invitedBy.email };
}

type Pending = { id: string; orgId: string; role: Role };

/**
 * Turns a pending invitation into a membership of `user`, exactly once: the conditional update claims
 * it, so two concurrent acceptances cannot both join. An existing membership keeps its role.
 */
export async function joinInTx(tx: Tx, inv: Pending, user: { id: string; email: string }, via: "link" | "account") {
  const claimed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null }, data: { acceptedAt: new Date(), secretHash: null } });
  if (claimed.count === 0) throw notFound("Invitation");
  const existing = await tx.membership.findUnique({ where: { userId_orgId: { userId: user.id, orgId: inv.orgId } } });
  const membership = existing ?? (await tx.membership.create({ data: { orgId: inv.orgId, userId: user.id, role: inv.role } }));
  const org = await tx.organization.findUniqueOrThrow({ where: { id: inv.orgId }, select: { slug: true } });
  if (!existing) {
    await recordAudit(tx, {
      orgId: inv.orgId,
      actor: { type: "user", id: user.id, label: user.email },
      action: "member.join",
      target: { type: "user", id: user.id, label: user.email },
      after: { role: inv.role, invitationId: inv.id, via },
    });
  }
  return { orgId: inv.orgId, orgSlug: org.slug, role: membership.role };
}

/** Finds the pending invitation of a link inside a transaction, locked against a concurrent acceptance. */
export async function pendingInvitationByLink(tx: Tx, secret: string): Promise<Pending> {
  const inv = await tx.invitation.findFirst({ where: pendingByLink(secret), select: { id: true, orgId: true, role: true } });
  if (!inv) throw notFound("Invitation");
  return inv;
}

async function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db().$transaction(fn);
  } catch (err) {
    // Two acceptances racing for one membership: the loser's insert hits the unique key.
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "You are already a member of this organisation");
    throw err;
  }
}

/** A signed-in user accepts the invitation of a link they hold. */
export async function acceptInvitationByLink(args: { secret: string; user: { id: string; email: string } }) {
  return inTransaction(async (tx) => {
    // The link is the credential (like an API token's secret), whichever account presents it.
    return joinInTx(tx, await pendingInvitationByLink(tx, args.secret), args.user, "link");
  });
}

/** Pending invitations made for the user's account (when the address already had one). */
export async function listMyInvitations(userId: string) {
  const rows = await db().invitation.findMany({
    where: { userId, acceptedAt: null, createdAt: { gte: validSince() } },
    include: { org: true, invitedBy: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((i) => ({ id: i.id, orgName: i.org.name, role: i.role, invitedBy: i.invitedBy.email, createdAt: i.createdAt }));
}

/** Accepts or declines an invitation made for the user's account; another account's is NOT_FOUND. */
export async function respondToInvitation(args: { invitationId: string; accept: boolean; user: { id: string; email: string } }) {
  return inTransaction(async (tx) => {
    const inv = await tx.invitation.findFirst({
      where: { id: args.invitationId, userId: args.user.id, acceptedAt: null, createdAt: { gte: validSince() } },
      select: { id: true, orgId: true, role: true, email: true },
    });
    if (!inv) throw notFound("Invitation");
    if (args.accept) return joinInTx(tx, inv, args.user, "account");
    await tx.invitation.delete({ where: { id: inv.id } });
    const actor: Actor = { type: "user", id: args.user.id, label: args.user.email };
    await recordAudit(tx, { orgId: inv.orgId, actor, action: "member.invite_decline", target: { type: "invitation", id: inv.id, label: inv.email }, before: { role: inv.role } });
    return null;
  });
}
