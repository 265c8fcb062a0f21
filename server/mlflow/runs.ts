/**
 * MLflow runs are Cairn runs: created, read, ended, hidden and searched through Cairn's runs services,
 * so a run logged with MLflow's client is in the runs table, the compare view and the audit log like
 * any other. MLflow's soft delete is Cairn's archive (lifecycle_stage "deleted" = archived).
 */
import { db } from "../db";
import { AppError, notFound } from "../errors";
import type { Actor } from "../audit/audit";
import { setRunArchived } from "../runs/delete";
import { listRuns } from "../runs/list";
import { createRun, finishRun, runsByIds } from "../runs/runs";
import { ZCreateRunInput } from "../runs/schemas";
import { transitionRun } from "../runs/transitions";
import { mlflowRuns, runInfo, RUN_NAME_TAG } from "./dto";
import { experimentOf, DEFAULT_EXPERIMENT_ID } from "./experiments";
import { pageOffset, pageToken, runsFilterToCairn, runsSortToCairn } from "./filter";

export interface Scope {
  projectId: string;
  orgId: string;
  actor: Actor;
}

/** MLflow's source tags that Cairn keeps as the run's code version. */
const GIT_COMMIT_TAG = "mlflow.source.git.commit";
const GIT_REPO_TAG = "mlflow.source.git.repoURL";

export async function getMlflowRun(projectId: string, runId: string) {
  const [run] = await runsByIds(projectId, [runId]);
  return (await mlflowRuns([run!]))[0]!;
}

/** Starts a RUNNING run in the experiment (default "0"); its name from run_name or the mlflow.runName tag. */
export async function createMlflowRun(args: Scope & { experimentId?: string; runName?: string; tags: { key: string; value: string }[] }) {
  const experiment = await experimentOf(args.projectId, args.experimentId ?? DEFAULT_EXPERIMENT_ID, { create: true });
  const tags = Object.fromEntries(args.tags.map((t) => [t.key, t.value]));
  const name = args.runName?.trim() || tags[RUN_NAME_TAG]?.trim() || undefined;
  delete tags[RUN_NAME_TAG];
  const input = ZCreateRunInput.parse({
    projectId: args.projectId,
    experiment: experiment.name,
    name,
    status: "RUNNING",
    tags,
    code: tags[GIT_COMMIT_TAG] || tags[GIT_REPO_TAG] ? { commit: tags[GIT_COMMIT_TAG]?.slice(0, 100), repo: tags[GIT_REPO_TAG]?.slice(0, 500) } : undefined,
  });
  const run = await createRun({ ...input, orgId: args.orgId, actor: args.actor });
  return { run: (await mlflowRuns([run]))[0]! };
}

/** Renames the run (the column MLflow calls run_name and the mlflow.runName tag). */
export async function renameRun(projectId: string, runId: string, name: string) {
  const parsed = ZCreateRunInput.shape.name.parse(name);
  const { count } = await db().run.updateMany({ where: { id: runId, projectId }, data: { name: parsed } });
  if (count === 0) throw notFound("Run");
}

/**
 * MLflow's update: a terminal status ends the run through Cairn's finish (with its audit event; the
 * server's clock is the end time), RUNNING starts a queued one, and run_name renames it.
 */
export async function updateMlflowRun(args: Scope & { runId: string; status?: string; runName?: string }) {
  if (args.runName !== undefined) await renameRun(args.projectId, args.runId, args.runName);
  if (args.status === "FINISHED" || args.status === "FAILED" || args.status === "KILLED") {
    await finishRun({ projectId: args.projectId, orgId: args.orgId, runId: args.runId, status: args.status, actor: args.actor });
  } else if (args.status !== undefined) {
    const run = await db().run.findFirst({ where: { id: args.runId, projectId: args.projectId }, select: { status: true, kind: true } });
    if (!run) throw notFound("Run");
    const wanted = args.status === "SCHEDULED" ? "QUEUED" : "RUNNING";
    if (run.status !== wanted) {
      // A training run is started by the worker that claims it, never by a client.
      if (wanted === "QUEUED" || run.kind === "TRAINING") throw new AppError("BAD_REQUEST", `The run is ${run.status}; it cannot be set to ${args.status} through the MLflow API`);
      await db().$transaction(async (tx) => {
        const moved = await transitionRun(tx, { runId: args.runId, from: ["QUEUED"], to: "RUNNING", actor: args.actor, orgId: args.orgId, action: "run.start", data: { startedAt: new Date() } });
        if (!moved.changed) throw new AppError("BAD_REQUEST", `The run is ${moved.current}; it cannot go back to RUNNING`);
      });
    }
  }
  const [run] = await runsByIds(args.projectId, [args.runId]);
  return { run_info: runInfo(run!) };
}

/** MLflow's delete and restore: Cairn's archive, which hides the run from default lists and keeps it. */
export async function setMlflowRunDeleted(args: Scope & { runId: string; deleted: boolean }) {
  await setRunArchived({ projectId: args.projectId, orgId: args.orgId, actor: args.actor, runId: args.runId, archived: args.deleted });
  return {};
}

/** Runs of the project through Cairn's runs list, with MLflow's filter, order and paging. */
export async function searchMlflowRuns(args: { projectId: string; experimentIds: string[]; filter?: string; viewType: string; maxResults: number; orderBy: string[]; pageToken?: string }) {
  if (args.orderBy.length > 1) throw new AppError("BAD_REQUEST", "order_by takes one field here; sort by more than one in the client");
  const parts: string[] = [];
  // "0" is the Default experiment; a project that has none yet simply has no runs in it.
  const ids = await Promise.all(
    args.experimentIds.map((id) =>
      id !== DEFAULT_EXPERIMENT_ID
        ? id
        : experimentOf(args.projectId, id).then(
            (e) => e.id,
            (err: unknown) => {
              if (err instanceof AppError && err.code === "NOT_FOUND") return id;
              throw err;
            },
          ),
    ),
  );
  if (ids.length) parts.push(`experiment_id in (${ids.map((id) => JSON.stringify(id)).join(", ")})`);
  if (args.viewType === "DELETED_ONLY") parts.push("archived != null");
  const translated = runsFilterToCairn(args.filter);
  if (translated) parts.push(`(${translated})`);
  const offset = pageOffset(args.pageToken);
  const { runs, total } = await listRuns({
    projectId: args.projectId,
    filter: parts.join(" and "),
    sort: args.orderBy[0] ? runsSortToCairn(args.orderBy[0]) : { by: "started", dir: "desc" },
    limit: args.maxResults,
    offset,
    includeArchived: args.viewType !== "ACTIVE_ONLY",
  });
  return { runs: await mlflowRuns(runs), ...(offset + runs.length < total ? { next_page_token: pageToken(offset + runs.length) } : {}) };
}
