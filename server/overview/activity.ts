import { db, pool } from "../db";
import { goalOf, rankingMetricOf, RUN_STATUSES, type RunStatus } from "../runs/schemas";
import type { ActivityDto } from "./schemas";

const LATEST = 6;
const TREND_RUNS = 60;

/** What happened lately in a project: latest data versions and runs, with the metric that ranks its models. */
export async function projectActivity(projectId: string): Promise<ActivityDto> {
  const project = await db().project.findUniqueOrThrow({ where: { id: projectId }, select: { primaryMetric: true, primaryMetricGoal: true } });
  const keys = await pool().query<{ key: string }>(
    `SELECT DISTINCT s.key FROM "MetricSeries" s JOIN "Run" r ON r.id = s."runId" WHERE r."projectId" = $1 AND s.key LIKE 'test/%'`,
    [projectId],
  );
  const key = rankingMetricOf(keys.rows.map((r) => r.key), project.primaryMetric);
  const goal: "min" | "max" | null = project.primaryMetricGoal ? (project.primaryMetricGoal === "MIN" ? "min" : "max") : null;
  const metric = key ? { key, goal: goal ?? goalOf(key), inferred: project.primaryMetric === null } : null;
  const [datasets, versionCount, statusCounts, versions, runs, trend] = await Promise.all([
    db().dataset.count({ where: { projectId } }),
    db().datasetVersion.count({ where: { projectId } }),
    db().run.groupBy({ by: ["status"], where: { projectId }, _count: { _all: true } }),
    db().datasetVersion.findMany({ where: { projectId }, orderBy: { createdAt: "desc" }, take: LATEST, include: { dataset: { select: { slug: true, name: true } } } }),
    db().run.findMany({
      where: { projectId },
      orderBy: { createdAt: "desc" },
      take: LATEST,
      include: { experiment: { select: { name: true } }, series: key ? { where: { key }, select: { lastValue: true } } : false },
    }),
    key
      ? pool().query<{ id: string; name: string; at: Date; value: number }>(
          `SELECT r.id, r.name, COALESCE(r."endedAt", r."createdAt") AS at, s."lastValue" AS value
             FROM "Run" r JOIN "MetricSeries" s ON s."runId" = r.id AND s.key = $2
            WHERE r."projectId" = $1 AND r.status = 'FINISHED' AND s."lastValue" IS NOT NULL AND s."lastValue" <> 'NaN'::float8
            ORDER BY at DESC LIMIT ${TREND_RUNS}`,
          [projectId, key],
        )
      : Promise.resolve({ rows: [] }),
  ]);
  const byStatus = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const c of statusCounts) byStatus[c.status] = c._count._all;
  const points = trend.rows.reverse().map((r) => ({ runId: r.id, name: r.name, at: r.at, value: Number(r.value) }));
  const finite = points.filter((p) => Number.isFinite(p.value));
  const best = metric && finite.length ? finite.reduce((a, b) => ((metric.goal === "min" ? b.value < a.value : b.value > a.value) ? b : a)) : null;
  return {
    metric,
    counts: { datasets, versions: versionCount, runs: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
    versions: versions.map((v) => ({
      id: v.id,
      datasetSlug: v.dataset.slug,
      datasetName: v.dataset.name,
      number: v.number,
      rowCount: v.rowCount,
      profileStatus: v.profileStatus,
      validation: v.validation,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
    })),
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name,
      experiment: r.experiment.name,
      status: r.status,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      endedAt: r.endedAt,
      value: (r.series || [])[0]?.lastValue ?? null,
    })),
    trend: points,
    best: best ? { runId: best.runId, name: best.name, value: best.value } : null,
  };
}
