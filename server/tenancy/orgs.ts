import { db, type Tx } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import { slugify } from "../lib/ids";
import { recordAudit, type Actor } from "../audit/audit";
import type { OrgDto } from "./schemas";
import type { Identity } from "./access";

/** Organisations the user belongs to, with their role; a token sees only its own organisation. */
export async function listOrgsForUser(userId: string): Promise<OrgDto[]> {
  const rows = await db().membership.findMany({
    where: { userId },
    select: { role: true, org: true },
    orderBy: { org: { name: "asc" } },
  });
  return rows.map((m) => ({ id: m.org.id, slug: m.org.slug, name: m.org.name, role: m.role, createdAt: m.org.createdAt }));
}

/** The organisation with `slug` as the identity sees it (with its role); null for non-members. */
export async function findOrgBySlug(identity: Identity, slug: string): Promise<OrgDto | null> {
  if (identity.kind === "token") {
    const org = await db().organization.findFirst({ where: { slug, id: identity.orgId } });
    return org ? { id: org.id, slug: org.slug, name: org.name, role: identity.role, createdAt: org.createdAt } : null;
  }
  const m = await db().membership.findFirst({ where: { userId: identity.userId, org: { slug } }, include: { org: true } });
  return m ? { id: m.org.id, slug: m.org.slug, name: m.org.name, role: m.role, createdAt: m.org.createdAt } : null;
}

export async function getOrgForToken(orgId: string, role: OrgDto["role"]): Promise<OrgDto[]> {
  const org = await db().organization.findUnique({ where: { id: orgId } });
  return org ? [{ id: org.id, slug: org.slug, name: org.name, role, createdAt: org.createdAt }] : [];
}

/** Finds a free slug: the wanted one, else the wanted one with a numeric suffix. */
async function freeOrgSlug(tx: Tx, wanted: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const candidate = i === 0 ? wanted : `${wanted.slice(0, 44)}-${i + 1}`;
    if ((await tx.organization.findUnique({ where: { slug: candidate }, select: { id: true } })) === null) return candidate;
  }
  return `${wanted.slice(0, 40)}-${Date.now().toString(36)}`;
}

/** Creates an organisation owned by `ownerId`, inside the caller's transaction. */
export async function createOrgInTx(
  tx: Tx,
  args: { name: string; slug?: string; ownerId: string; actor: Actor },
): Promise<{ id: string; slug: string; name: string; createdAt: Date }> {
  if (args.slug && (await tx.organization.findUnique({ where: { slug: args.slug }, select: { id: true } }))) {
    throw new AppError("CONFLICT", `The organisation slug "${args.slug}" is taken`);
  }
  const slug = args.slug ?? (await freeOrgSlug(tx, slugify(args.name)));
  const org = await tx.organization.create({ data: { name: args.name, slug } });
  await tx.membership.create({ data: { orgId: org.id, userId: args.ownerId, role: "OWNER" } });
  await recordAudit(tx, {
    orgId: org.id,
    actor: args.actor,
    action: "org.create",
    target: { type: "org", id: org.id, label: org.slug },
    after: { name: org.name, slug: org.slug },
  });
  return org;
}

export async function createOrg(args: { name: string; slug?: string; ownerId: string; actor: Actor }): Promise<OrgDto> {
  try {
    const org = await db().$transaction((tx) => createOrgInTx(tx, args));
    return { ...org, role: "OWNER" };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "That organisation slug is taken");
    throw err;
  }
}

export async function renameOrg(args: { orgId: string; name: string; actor: Actor }): Promise<{ id: string; name: string }> {
  return db().$transaction(async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: args.orgId } });
    if (!before) throw notFound("Organisation");
    const org = await tx.organization.update({ where: { id: args.orgId }, data: { name: args.name } });
    await recordAudit(tx, {
      orgId: org.id,
      actor: args.actor,
      action: "org.rename",
      target: { type: "org", id: org.id, label: org.slug },
      before: { name: before.name },
      after: { name: org.name },
    });
    return { id: org.id, name: org.name };
  });
}
