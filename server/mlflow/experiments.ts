/** MLflow experiments are Cairn's experiments of the caller's project (same rows, same names). */
import { db } from "../db";
import { isUniqueViolation, notFound } from "../errors";
import { ensureExperiment } from "../runs/numbers";
import { ZCreateRunInput } from "../runs/schemas";
import { mlflowExperiment } from "./dto";
import { MlflowError } from "./errors";
import { pageOffset, pageToken, parseMlflowFilter, parseOrderBy, textClauseMatches } from "./filter";

/** MLflow's clients log to experiment "0" when none is set: in Cairn that is the project's "Default" experiment. */
export const DEFAULT_EXPERIMENT_ID = "0";
const DEFAULT_EXPERIMENT_NAME = ZCreateRunInput.shape.experiment.parse(undefined);

/**
 * The experiment an MLflow id names within the project; "0" is the default one, which creating a run
 * in it creates (`create`), as Cairn's own run.create does; reads never write.
 */
export async function experimentOf(projectId: string, experimentId: string, opts: { create?: boolean } = {}) {
  const row =
    experimentId !== DEFAULT_EXPERIMENT_ID
      ? await db().experiment.findFirst({ where: { id: experimentId, projectId } })
      : opts.create
        ? await db().experiment.findUnique({ where: { id: await ensureExperiment(projectId, DEFAULT_EXPERIMENT_NAME) } })
        : await db().experiment.findUnique({ where: { projectId_name: { projectId, name: DEFAULT_EXPERIMENT_NAME } } });
  if (!row) throw notFound(`Experiment ${experimentId}`);
  return row;
}

/** Creates an experiment; RESOURCE_ALREADY_EXISTS when the project has one of that name (as MLflow answers). */
export async function createExperiment(args: { projectId: string; name: string; description?: string }) {
  try {
    const row = await db().experiment.create({ data: { projectId: args.projectId, name: args.name, description: args.description ?? "" }, select: { id: true } });
    return { experiment_id: row.id };
  } catch (err) {
    if (isUniqueViolation(err)) throw new MlflowError("RESOURCE_ALREADY_EXISTS", `Experiment '${args.name}' already exists.`);
    throw err;
  }
}

export async function getExperiment(projectId: string, experimentId: string) {
  return { experiment: mlflowExperiment(await experimentOf(projectId, experimentId)) };
}

export async function getExperimentByName(projectId: string, name: string) {
  const row = await db().experiment.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) throw notFound(`Experiment '${name}'`);
  return { experiment: mlflowExperiment(row) };
}

const SORTABLE = { name: "name", experiment_id: "id", creation_time: "createdAt", last_update_time: "updatedAt" } as const;

/**
 * Experiments by `name` (=, !=, LIKE, ILIKE, IN); Cairn's experiments are never soft-deleted, so
 * DELETED_ONLY finds none. A project holds few experiments: the filter runs over its list.
 */
export async function searchExperiments(args: { projectId: string; filter?: string; orderBy: string[]; maxResults: number; pageToken?: string; viewType: string }) {
  const clauses = parseMlflowFilter(args.filter);
  for (const c of clauses) {
    if (c.type !== "attribute" || c.key.toLowerCase() !== "name") throw new MlflowError("INVALID_PARAMETER_VALUE", `Experiments are searched by name only, not by ${c.type}.${c.key}`);
  }
  const orders = args.orderBy.map((o) => {
    const parsed = parseOrderBy(o);
    const column = SORTABLE[parsed.key.toLowerCase() as keyof typeof SORTABLE];
    if (parsed.type !== "attribute" || !column) throw new MlflowError("INVALID_PARAMETER_VALUE", `Experiments are ordered by ${Object.keys(SORTABLE).join(", ")}, not ${o}`);
    return { [column]: parsed.dir };
  });
  if (args.viewType === "DELETED_ONLY") return { experiments: [] };
  const rows = await db().experiment.findMany({ where: { projectId: args.projectId }, orderBy: [...orders, { createdAt: "desc" }, { id: "asc" }] });
  const matching = rows.filter((e) => clauses.every((c) => textClauseMatches(c, e.name)));
  const offset = pageOffset(args.pageToken);
  const page = matching.slice(offset, offset + args.maxResults);
  return { experiments: page.map(mlflowExperiment), ...(offset + page.length < matching.length ? { next_page_token: pageToken(offset + page.length) } : {}) };
}
