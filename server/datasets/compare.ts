import { db, type Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { enqueue } from "../jobs/boss";
import { datasetCompare } from "../jobs/definitions";
import { columnDrift, type ColumnDrift } from "../ml/column-drift";
import { readColumnData } from "./column-reader";
import { ZCompareColumns, type CompareColumn, type CompareDto, type StoredProfile } from "./schemas";
import { storedProfile } from "./versions";


const NO_DRIFT: ColumnDrift = { skipped: null, psi: null, ks: null, chiSquare: null, chiSquareNote: null, newCategories: null, vanishedCategories: null, drifted: false, chart: [] };

type ProfileShape = Pick<StoredProfile, "rowCount" | "columns">;

// A job outlives its expiry (2 h) only when it was lost; a failed pair may be tried again after a pause.
const LOST_AFTER_MS = 3 * 3600_000;
const RETRY_FAILED_AFTER_MS = 10 * 60_000;

/** True when a pair's job must be queued again: lost while pending or running, or failed a while ago. */
export function requeueDue(row: { status: string; queuedAt: Date; finishedAt: Date | null }, now: Date): boolean {
  if (row.status === "PENDING" || row.status === "RUNNING") return now.getTime() - row.queuedAt.getTime() > LOST_AFTER_MS;
  if (row.status === "FAILED") return now.getTime() - (row.finishedAt ?? row.queuedAt).getTime() > RETRY_FAILED_AFTER_MS;
  return false;
}

function schemaDiff(a: ProfileShape, b: ProfileShape): CompareColumn[] {
  const byA = new Map(a.columns.map((c) => [c.name, c.type]));
  const byB = new Map(b.columns.map((c) => [c.name, c.type]));
  const names = [...new Set([...byA.keys(), ...byB.keys()])];
  return names.map((column) => {
    const baseType = byA.get(column) ?? null;
    const targetType = byB.get(column) ?? null;
    const status = baseType === null ? "added" : targetType === null ? "removed" : baseType !== targetType ? "retyped" : "same";
    return { column, status, baseType, targetType, ...NO_DRIFT };
  });
}

async function loadPair(projectId: string, baseId: string, targetId: string) {
  const [base, target] = await Promise.all([
    db().datasetVersion.findFirst({ where: { id: baseId, projectId }, include: { dataset: { select: { slug: true } } } }),
    db().datasetVersion.findFirst({ where: { id: targetId, projectId }, include: { dataset: { select: { slug: true } } } }),
  ]);
  if (!base || !target) throw notFound("Dataset version");
  if (!base.profile || !target.profile || base.profileStatus !== "READY" || target.profileStatus !== "READY") {
    throw new AppError("PRECONDITION_FAILED", "Both versions must be profiled before they can be compared");
  }
  return { base, target, pa: storedProfile(base)!, pb: storedProfile(target)! };
}

/**
 * Schema diff and full-data drift between two profiled versions of one project (base = reference).
 * The drift is computed once per ordered pair by the dataset.compare job; until it finishes the
 * answer is PENDING or RUNNING with the schema diff only.
 */
export async function compareVersions(projectId: string, baseId: string, targetId: string): Promise<CompareDto> {
  const { base, target, pa, pb } = await loadPair(projectId, baseId, targetId);
  const pair = { baseVersionId_targetVersionId: { baseVersionId: base.id, targetVersionId: target.id } };
  let row = await db().compareResult.findUnique({ where: pair });
  if (!row) {
    row = await db().$transaction(async (tx) => {
      // Two first viewers race here: the unique pair lets one insert, the other reads its row.
      const created = await tx.compareResult.createManyAndReturn({
        data: [{ projectId, baseVersionId: base.id, targetVersionId: target.id }],
        skipDuplicates: true,
      });
      if (created[0]) await enqueue(datasetCompare, { compareId: created[0].id }, { tx });
      return created[0] ?? tx.compareResult.findUniqueOrThrow({ where: pair });
    });
  } else if (requeueDue(row, new Date())) {
    row = await db().$transaction(async (tx) => {
      // Only the caller whose update wins enqueues; a concurrent one sees the fresh queuedAt.
      const claimed = await tx.compareResult.updateManyAndReturn({
        where: { id: row!.id, queuedAt: row!.queuedAt },
        data: { status: "PENDING", error: null, queuedAt: new Date(), finishedAt: null },
      });
      if (claimed[0]) await enqueue(datasetCompare, { compareId: claimed[0].id }, { tx });
      return claimed[0] ?? tx.compareResult.findUniqueOrThrow({ where: pair });
    });
  }
  const label = (v: { number: number; dataset: { slug: string } }) => `${v.dataset.slug} v${v.number}`;
  const columns = row.status === "READY" && row.result ? ZCompareColumns.parse(row.result) : schemaDiff(pa, pb);
  return {
    status: row.status,
    error: row.error,
    base: { id: base.id, label: label(base), rowCount: pa.rowCount },
    target: { id: target.id, label: label(target), rowCount: pb.rowCount },
    columns,
  };
}

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** The dataset.compare job: reads both versions in full and stores per-column drift; a finished pair is left alone. */
export async function runCompare(compareId: string, signal?: AbortSignal): Promise<void> {
  const row = await db().compareResult.findUnique({ where: { id: compareId } });
  if (!row || row.status === "READY") return;
  await db().compareResult.update({ where: { id: row.id }, data: { status: "RUNNING", error: null } });
  const { base, target, pa, pb } = await loadPair(row.projectId, row.baseVersionId, row.targetVersionId);
  const common = pa.columns.map((c) => c.name).filter((n) => pb.columns.some((c) => c.name === n));
  try {
    const [dataA, dataB] = [await readColumnData(base, common, signal), await readColumnData(target, common, signal)];
    const columns = schemaDiff(pa, pb).map((c) => {
      const a = dataA.get(c.column);
      const b = dataB.get(c.column);
      return a && b ? { ...c, ...columnDrift(c.column, a, b) } : c;
    });
    await db().compareResult.update({ where: { id: row.id }, data: { status: "READY", result: asJson(columns), finishedAt: new Date() } });
  } catch (err) {
    // Recorded rather than retried: unreadable stored bytes cannot get better, and the page must not
    // wait forever on a pair whose job gave up.
    const message = err instanceof Error ? err.message : String(err);
    await db().compareResult.update({ where: { id: row.id }, data: { status: "FAILED", error: message.slice(0, 2000), finishedAt: new Date() } });
  }
}
