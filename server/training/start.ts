import { db, type Prisma } from "../db";
import { ensureExperiment, nextRunNumber } from "../runs/numbers";
import { AppError, notFound } from "../errors";
import { paramsWithDefaults, problemError, trainingProblems } from "./preflight";
import { recordAudit, type Actor } from "../audit/audit";
import { getBoss, enqueue, ensureTrainQueue } from "../jobs/boss";
import { train, trainGpu } from "../jobs/definitions";
import { addEdge } from "../lineage/lineage";
import { assertUsableVersion } from "../datasets/versions";
import type { StartTrainingInput } from "./schemas";
import { toRunDto } from "../runs/runs";
import { trainingQueue } from "../fleet/pools";
import { transitionRun } from "../runs/transitions";
import type { RunDto } from "../runs/schemas";

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/**
 * Queues a training job: a run (QUEUED) that records the data, trainer and params, and its job on
 * the CPU or GPU queue, written in one transaction. Versions that failed validation and specs with a
 * problem (trainingProblems: columns, command, params) are refused.
 */
export async function startTraining(args: StartTrainingInput & { orgId: string; actor: Actor }): Promise<RunDto> {
  const version = await assertUsableVersion(args.projectId, args.datasetVersionId, { allowFailedValidation: args.allowFailedValidation });
  const [problem] = await trainingProblems(db(), args.projectId, {
    data: { versionId: version.id },
    target: args.target,
    features: args.features,
    exclude: args.exclude,
    trainer: args.trainer,
    params: args.params,
    command: { by: "id", ref: args.commandId },
  });
  if (problem) throw problemError(problem);
  const params = paramsWithDefaults(args.trainer, args.params);
  const { projectId, experiment, name, orgId, actor, ...rest } = args;
  const spec = { ...rest, params };
  const experimentId = await ensureExperiment(projectId, experiment);
  const job = args.resource === "gpu" ? trainGpu : train;
  const queue = await trainingQueue({ orgId, trainer: args.trainer, resource: args.resource });
  if (queue !== job.name) await ensureTrainQueue(queue);
  // Fair share: each run queued behind the organisation's own waiting runs (pg-boss serves higher
  // priority first), so one organisation's backlog does not hold back another's first run.
  const orgProjects = (await db().project.findMany({ where: { orgId }, select: { id: true } })).map((p) => p.id);
  const backlog = await db().run.count({ where: { jobQueue: queue, status: { in: ["QUEUED", "RUNNING"] }, projectId: { in: orgProjects } } });
  return db().$transaction(async (tx) => {
    const number = await nextRunNumber(tx, experimentId);
    const run = await tx.run.create({
      data: {
        projectId,
        experimentId,
        number,
        name: name ?? `${args.trainer}-${number}`,
        status: "QUEUED",
        kind: "TRAINING",
        spec: json(spec),
        resource: args.resource,
        params: json(Object.fromEntries([["trainer", args.trainer], ["target", args.target], ...Object.entries(params).map(([k, v]) => [`${args.trainer}.${k}`, v])])),
        tags: json({ trainer: args.trainer, resource: args.resource }),
        createdBy: actor.label,
      },
      include: { experiment: { select: { name: true } }, series: true },
    });
    await addEdge(tx, { projectId, from: { kind: "run", id: run.id }, to: { kind: "dataset_version", id: version.id }, relation: "trained_on" });
    const jobId = await enqueue(job, { runId: run.id }, { tx, singletonKey: run.id, queue, group: orgId, priority: -backlog });
    await tx.run.update({ where: { id: run.id }, data: { jobId, jobQueue: queue } });
    await recordAudit(tx, {
      orgId,
      projectId,
      actor,
      action: "run.train",
      target: { type: "run", id: run.id, label: run.name },
      after: { trainer: args.trainer, datasetVersionId: version.id, resource: args.resource, ...(args.allowFailedValidation ? { allowFailedValidation: true, validation: version.validation } : {}) },
    });
    return toRunDto(run);
  });
}

/**
 * Cancels a training run: a queued one at once (its job is cancelled), a running one by asking its
 * worker, which stops the trainer or kills the command and marks the run KILLED.
 */
export async function cancelRun(args: { projectId: string; orgId: string; runId: string; actor: Actor }) {
  const run = await db().run.findFirst({ where: { id: args.runId, projectId: args.projectId } });
  if (!run) throw notFound("Run");
  if (run.kind !== "TRAINING") throw new AppError("BAD_REQUEST", "Only runs that Cairn trains can be cancelled; finish a tracked run from its client");
  const outcome = await db().$transaction(async (tx) => {
    const queued = await transitionRun(tx, {
      runId: run.id, from: ["QUEUED"], to: "KILLED", actor: args.actor, orgId: args.orgId, action: "run.cancel",
      data: { endedAt: new Date(), error: "cancelled before it started", cancelRequested: true },
    });
    if (queued.changed) return "KILLED" as const;
    if (queued.current !== "RUNNING") return queued.current ?? run.status;
    // A running run is stopped by its worker, which moves it to KILLED; the request itself is what is audited here.
    await tx.run.update({ where: { id: run.id }, data: { cancelRequested: true } });
    await recordAudit(tx, { orgId: args.orgId, projectId: args.projectId, actor: args.actor, action: "run.cancel", target: { type: "run", id: run.id, label: run.name }, before: { status: "RUNNING" }, after: { cancelRequested: true } });
    return "CANCELLING" as const;
  });
  if (outcome === "KILLED" && run.jobId) {
    const boss = await getBoss();
    await boss.cancel(run.jobQueue ?? (run.resource === "gpu" ? trainGpu.name : train.name), run.jobId).catch(() => undefined);
  }
  return { status: outcome };
}
