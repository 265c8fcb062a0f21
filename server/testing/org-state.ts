/** A snapshot of everything an organisation holds, to prove that a refused call changed nothing. */
import { db } from "../db";

export async function orgState(orgId: string) {
  const [org, memberships, projects, tokens, invitations, pings, auditEvents, workerTokens] = await Promise.all([
    db().organization.findUnique({ where: { id: orgId }, select: { name: true, slug: true, sharedCommandsAllowed: true } }),
    db().membership.findMany({ where: { orgId }, select: { userId: true, role: true }, orderBy: { userId: "asc" } }),
    db().project.findMany({ where: { orgId }, select: { id: true, name: true, description: true }, orderBy: { id: "asc" } }),
    db().apiToken.findMany({ where: { orgId }, select: { id: true, role: true, revokedAt: true }, orderBy: { id: "asc" } }),
    db().invitation.findMany({ where: { orgId }, select: { id: true, email: true, role: true, acceptedAt: true }, orderBy: { id: "asc" } }),
    db().systemPing.count({ where: { orgId } }),
    db().auditEvent.count({ where: { orgId } }),
    db().workerToken.findMany({ where: { orgId }, select: { id: true, revokedAt: true }, orderBy: { id: "asc" } }),
  ]);
  return { org, memberships, projects, tokens, invitations, pings, auditEvents, workerTokens };
}
