import { db, withStatementTimeout } from "../db";
import { compileFilter, compileSort } from "./filter";
import { toRunDto } from "./runs";
import type { RunDto } from "./schemas";

/** Runs of a project matching a filter expression, sorted by any field, with metric summaries. */
export async function listRuns(args: {
  projectId: string;
  experimentId?: string;
  filter?: string;
  sort?: { by: string; dir: "asc" | "desc" };
  limit: number;
  offset: number;
  includeArchived?: boolean;
}): Promise<{ runs: RunDto[]; total: number }> {
  const params: unknown[] = [args.projectId];
  let where = `r."projectId" = $1`;
  if (!args.includeArchived) where += ` AND r."archivedAt" IS NULL`;
  if (args.experimentId) {
    params.push(args.experimentId);
    where += ` AND r."experimentId" = $${params.length}`;
  }
  if (args.filter?.trim()) {
    const f = compileFilter(args.filter, params.length + 1);
    params.push(...f.params);
    where += ` AND COALESCE(${f.sql}, false)`;
  }
  let order = `r."createdAt" DESC, r.id DESC`;
  if (args.sort) {
    const s = compileSort(args.sort.by, params.length + 1);
    params.push(...s.params);
    const dir = args.sort.dir === "asc" ? "ASC" : "DESC";
    order = `${s.sql.split(", ").map((part) => `${part} ${dir} NULLS LAST`).join(", ")}, r."createdAt" DESC`;
  }
  params.push(args.limit, args.offset);
  const { rows } = await withStatementTimeout((client) =>
    client.query<{ id: string; total: string }>(
      `SELECT r.id, count(*) OVER () AS total FROM "Run" r WHERE ${where} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    ),
  );
  if (rows.length === 0) return { runs: [], total: 0 };
  const found = await db().run.findMany({ where: { id: { in: rows.map((r) => r.id) } }, include: { experiment: { select: { name: true } }, series: true } });
  const byId = new Map(found.map((r) => [r.id, r]));
  return { runs: rows.map((r) => toRunDto(byId.get(r.id)!)), total: Number(rows[0]!.total) };
}
