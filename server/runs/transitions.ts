import type { Prisma, Tx } from "../db";
import { AppError } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import type { RunStatus } from "./schemas";

/**
 * The run lifecycle. Terminal statuses have no way out; RUNNING → RUNNING is a new attempt taking
 * over a run whose worker died (claim clears the dead attempt's outputs first).
 */
const ALLOWED: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  QUEUED: ["RUNNING", "FINISHED", "FAILED", "KILLED"],
  RUNNING: ["RUNNING", "FINISHED", "FAILED", "KILLED"],
  FINISHED: [],
  FAILED: [],
  KILLED: [],
};

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["FINISHED", "FAILED", "KILLED"];

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return ALLOWED[from].includes(to);
}

export interface RunTransition {
  runId: string;
  /** Statuses the caller expects; a run found in another status is left as it is. */
  from: readonly RunStatus[];
  to: RunStatus;
  actor: Actor;
  /** Audit action, e.g. `run.finish`, `run.kill`, `run.cancel`. */
  action: string;
  /** Columns written together with the status (endedAt, error, attempt …). */
  data?: Omit<Prisma.RunUncheckedUpdateManyInput, "status">;
  /** Extra facts for the audit event's `after`. */
  detail?: Record<string, Prisma.InputJsonValue | null>;
  /** Saves a lookup when the caller knows the run's organisation. */
  orgId?: string;
}

export type TransitionResult = { changed: true; before: RunStatus } | { changed: false; current: RunStatus | null };

/**
 * Moves a run to `to` and writes its audit event in the caller's transaction, so the change and its
 * record commit or roll back together. The row is locked first, so concurrent transitions of one run
 * apply one after the other and each sees the status the previous one left. A `from → to` pair the
 * lifecycle does not allow is refused with CONFLICT before anything is read.
 */
export async function transitionRun(tx: Tx, t: RunTransition): Promise<TransitionResult> {
  for (const from of t.from) {
    if (!canTransitionRun(from, t.to)) throw new AppError("CONFLICT", `A run cannot go from ${from} to ${t.to}`);
  }
  const rows = await tx.$queryRaw<{ status: RunStatus; projectId: string; name: string }[]>`SELECT status, "projectId", name FROM "Run" WHERE id = ${t.runId} FOR UPDATE`;
  const row = rows[0];
  if (!row) return { changed: false, current: null };
  if (!t.from.includes(row.status)) return { changed: false, current: row.status };
  await tx.run.updateMany({ where: { id: t.runId, status: row.status }, data: { ...t.data, status: t.to } });
  const orgId = t.orgId ?? (await tx.project.findUniqueOrThrow({ where: { id: row.projectId }, select: { orgId: true } })).orgId;
  await recordAudit(tx, {
    orgId,
    projectId: row.projectId,
    actor: t.actor,
    action: t.action,
    target: { type: "run", id: t.runId, label: row.name },
    before: { status: row.status },
    after: { status: t.to, ...t.detail },
  });
  return { changed: true, before: row.status };
}
