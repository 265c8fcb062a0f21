/**
 * Who a decision is made by, and who may not make it. A decision is a person's: a session user, or
 * an API token acting for the member at the root of its chain. A run's token (or any token with no
 * person behind it) never decides.
 */
import type { Actor } from "../audit/audit";
import type { Tx } from "../db";
import { AppError } from "../errors";

export interface Reviewer {
  userId: string;
  name: string;
  email: string;
}

/** The person behind `actor`, or FORBIDDEN. */
export async function reviewerOf(tx: Tx, orgId: string, actor: Actor): Promise<Reviewer> {
  let userId: string | null = null;
  if (actor.type === "user") userId = actor.id;
  else if (actor.type === "token" && actor.id) {
    const token = await tx.apiToken.findFirst({ where: { id: actor.id, orgId }, select: { runId: true, rootUserId: true } });
    if (token?.runId) throw new AppError("FORBIDDEN", "A run's token cannot approve or reject a model version");
    userId = token?.rootUserId ?? null;
  }
  if (!userId) throw new AppError("FORBIDDEN", "Only a person decides on a model version: sign in, or use an API token made by a member");
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true } });
  if (!user) throw new AppError("FORBIDDEN", "Only a person decides on a model version");
  return { userId: user.id, name: user.name, email: user.email };
}

// Run.createdBy holds the actor's label: a user's e-mail, or "token NAME (PREFIX…)" (server/auth/tokens.ts).
const TOKEN_LABEL = /^token (.*) \((cairn_[A-Za-z0-9_-]{1,12})…\)$/;

/**
 * The users who authored a version: who registered it (a user, or the member behind the token that
 * did) and who started its source run. Separation of duties keeps them from approving it.
 */
export async function authorsOf(tx: Tx, orgId: string, version: { createdById: string; runId: string | null }): Promise<{ creator: Set<string>; runAuthor: Set<string> }> {
  const creator = new Set<string>([version.createdById]);
  const viaToken = await tx.apiToken.findFirst({ where: { id: version.createdById, orgId }, select: { rootUserId: true } });
  if (viaToken?.rootUserId) creator.add(viaToken.rootUserId);

  const runAuthor = new Set<string>();
  if (version.runId) {
    const run = await tx.run.findUnique({ where: { id: version.runId }, select: { createdBy: true } });
    if (run) {
      const byEmail = await tx.user.findUnique({ where: { email: run.createdBy }, select: { id: true } });
      if (byEmail) runAuthor.add(byEmail.id);
      const m = TOKEN_LABEL.exec(run.createdBy);
      if (m) {
        const tokens = await tx.apiToken.findMany({ where: { orgId, name: m[1], prefix: m[2] }, select: { rootUserId: true } });
        for (const t of tokens) if (t.rootUserId) runAuthor.add(t.rootUserId);
      }
    }
  }
  return { creator, runAuthor };
}
