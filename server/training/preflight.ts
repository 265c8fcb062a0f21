/**
 * The checks a training spec passes before anything is queued: its data, columns, command, params and
 * (where the model it is meant for is known) task. training.start runs them on the version it trains
 * on; a monitor rule's training action runs them when the rule is saved, on the dataset's newest version,
 * so a typo fails the request, not a job an hour later. Problems are data, each naming its field, so
 * each caller words the error its own way (training.start: the first as an AppError; a rule:
 * `action.retrain.training.<field>`).
 */
import type { Tx } from "../db";
import { AppError, type AppErrorCode } from "../errors";
import { taskHintOf } from "../registry/evidence";
import { ZGbdtParams, ZLogisticParams, ZRidgeParams, type Trainer } from "./schemas";

export type TrainingField = "dataset" | "target" | "features" | "exclude" | "command" | "params" | "trainer";
export type TrainingProblem = { field: TrainingField; code: AppErrorCode; message: string };

export type TrainingCheck = {
  /** A dataset version by id (a run started now), or a dataset by slug whose newest version is checked. */
  data: { versionId: string } | { slug: string };
  target: string;
  features?: string[];
  exclude?: string[];
  trainer: Trainer;
  params: Record<string, unknown>;
  /** The training command of trainer "command", as the caller refers to it: by id (training.start) or by name (a rule). */
  command: { by: "id" | "name"; ref: string | undefined };
  /** The deployment's model a retrained version goes to, when known: a trainer for another task is refused. */
  deployedModel?: { name: string; task: string };
};

const PARAMS = { gbdt: ZGbdtParams, ridge: ZRidgeParams, logistic: ZLogisticParams } as const;

/** Why the trainer refuses `params`, or null; a command gets its params as they are. */
function paramsProblem(trainer: Trainer, params: Record<string, unknown>): string | null {
  if (trainer === "command") return null;
  const parsed = PARAMS[trainer].safeParse(params);
  if (parsed.success) return null;
  return `Invalid ${trainer} params: ${parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ")}`;
}

/** The trainer's params with its defaults filled in; for params trainingProblems found no problem with. */
export function paramsWithDefaults(trainer: Trainer, params: Record<string, unknown>): Record<string, unknown> {
  return trainer === "command" ? params : PARAMS[trainer].parse(params);
}

/** The dataset's slug and the columns of the version checked, or the problem that there is none. */
async function columnsOf(tx: Tx, projectId: string, data: TrainingCheck["data"]): Promise<{ slug: string; columns: string[] } | TrainingProblem> {
  if ("versionId" in data) {
    const version = await tx.datasetVersion.findFirst({ where: { id: data.versionId, projectId }, select: { columns: true, dataset: { select: { slug: true } } } });
    if (!version) return { field: "dataset", code: "NOT_FOUND", message: "dataset version not found" };
    return { slug: version.dataset.slug, columns: version.columns };
  }
  const dataset = await tx.dataset.findFirst({ where: { projectId, slug: data.slug }, select: { id: true } });
  if (!dataset) return { field: "dataset", code: "NOT_FOUND", message: `no dataset "${data.slug}" in this project` };
  const latest = await tx.datasetVersion.findFirst({ where: { datasetId: dataset.id }, orderBy: { number: "desc" }, select: { columns: true } });
  if (!latest) return { field: "dataset", code: "PRECONDITION_FAILED", message: `dataset "${data.slug}" has no versions yet` };
  return { slug: data.slug, columns: latest.columns };
}

/** Every problem `spec` has in project `projectId`, in the order a caller reports them (first = most basic); empty when it can be trained. */
export async function trainingProblems(tx: Tx, projectId: string, spec: TrainingCheck): Promise<TrainingProblem[]> {
  const problems: TrainingProblem[] = [];
  const data = await columnsOf(tx, projectId, spec.data);
  if ("field" in data) problems.push(data);
  else {
    const { slug, columns } = data;
    const noColumn = (field: TrainingField, unknown: string[]) =>
      problems.push({ field, code: "BAD_REQUEST", message: `dataset "${slug}" has no column${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => `"${c}"`).join(", ")} (columns: ${columns.join(", ")})` });
    if (!columns.includes(spec.target)) noColumn("target", [spec.target]);
    for (const field of ["features", "exclude"] as const) {
      const unknown = (spec[field] ?? []).filter((c) => !columns.includes(c));
      if (unknown.length > 0) noColumn(field, unknown);
    }
  }
  if (spec.trainer === "command") {
    const { by, ref } = spec.command;
    if (!ref) problems.push({ field: "command", code: "BAD_REQUEST", message: `the command trainer needs the ${by === "id" ? "id (commandId)" : "name"} of a training command` });
    else {
      const command = await tx.trainingCommand.findFirst({ where: { projectId, ...(by === "id" ? { id: ref } : { name: ref }) }, select: { id: true } });
      if (!command) problems.push({ field: "command", code: "NOT_FOUND", message: `no training command "${ref}" in this project` });
    }
  }
  const params = paramsProblem(spec.trainer, spec.params);
  if (params) problems.push({ field: "params", code: "BAD_REQUEST", message: params });
  const task = params ? undefined : taskHintOf({ trainer: spec.trainer, params: spec.params });
  const model = spec.deployedModel;
  if (task && model && task !== model.task) {
    problems.push({ field: "trainer", code: "BAD_REQUEST", message: `${spec.trainer}${spec.trainer === "gbdt" ? ` (task ${task})` : ""} trains a ${task} model, but the deployment's model "${model.name}" is ${model.task}` });
  }
  return problems;
}

/** A problem as the AppError a service throws: its code, its message as a sentence. */
export const problemError = (p: TrainingProblem) => new AppError(p.code, p.message.charAt(0).toUpperCase() + p.message.slice(1));
