/** Cairn's runs and experiments in MLflow's JSON shapes (mlflow/protos/service.proto), built from Cairn's DTOs. */
import { db } from "../db";
import type { RunDto, RunStatus } from "../runs/schemas";

export type MlflowRunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

export const mlflowStatus = (s: RunStatus): MlflowRunStatus => (s === "QUEUED" ? "SCHEDULED" : s);

/** MLflow writes doubles the way protobuf JSON does: NaN and the infinities as strings. */
export function mlflowNumber(v: number): number | string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return v;
}

/** MLflow's params are strings: Cairn's typed values are shown as their text. */
export function paramText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "None";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** Where MLflow's artifact clients put a run's files: /api/2.0/mlflow-artifacts/artifacts/<this>/<path>. */
export const runArtifactRoot = (experimentId: string, runId: string) => `${experimentId}/${runId}/artifacts`;
export const runArtifactUri = (experimentId: string, runId: string) => `mlflow-artifacts:/${runArtifactRoot(experimentId, runId)}`;

/** The tag MLflow keeps a run's name in; Cairn keeps it in the run's name column instead. */
export const RUN_NAME_TAG = "mlflow.runName";

export function runInfo(r: RunDto) {
  return {
    run_id: r.id,
    run_uuid: r.id,
    run_name: r.name,
    experiment_id: r.experimentId,
    user_id: r.createdBy,
    status: mlflowStatus(r.status),
    start_time: (r.startedAt ?? r.createdAt).getTime(),
    ...(r.endedAt ? { end_time: r.endedAt.getTime() } : {}),
    artifact_uri: runArtifactUri(r.experimentId, r.id),
    lifecycle_stage: r.archivedAt ? "deleted" : "active",
  };
}

/** Runs with their latest metrics (value, step and the time it was logged), params and tags. */
export async function mlflowRuns(runs: RunDto[]) {
  const series = runs.length
    ? await db().metricSeries.findMany({ where: { runId: { in: runs.map((r) => r.id) } }, select: { runId: true, key: true, lastValue: true, lastStep: true, lastTs: true }, orderBy: { key: "asc" } })
    : [];
  return runs.map((r) => ({
    info: runInfo(r),
    data: {
      metrics: series
        .filter((s) => s.runId === r.id && s.lastValue !== null)
        .map((s) => ({ key: s.key, value: mlflowNumber(s.lastValue!), timestamp: s.lastTs?.getTime() ?? 0, step: Number(s.lastStep ?? 0) })),
      params: Object.entries(r.params).map(([key, value]) => ({ key, value: paramText(value) })),
      tags: [...Object.entries(r.tags).filter(([key]) => key !== RUN_NAME_TAG).map(([key, value]) => ({ key, value })), { key: RUN_NAME_TAG, value: r.name }],
    },
    inputs: {},
  }));
}

export function mlflowExperiment(e: { id: string; name: string; description: string; createdAt: Date; updatedAt: Date }) {
  return {
    experiment_id: e.id,
    name: e.name,
    artifact_location: `mlflow-artifacts:/${e.id}`,
    lifecycle_stage: "active",
    creation_time: e.createdAt.getTime(),
    last_update_time: e.updatedAt.getTime(),
    tags: e.description ? [{ key: "mlflow.note.content", value: e.description }] : [],
  };
}
