/**
 * `cairn runs log`: experiment tracking from shell scripts. Without --run it starts a run (and prints
 * its id for the next calls); with --run it adds to that run. --status ends the run.
 */
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { common, connect, type CommonOptions } from "../cli/context.js";
import { UsageError } from "../cli/errors.js";
import { collect, parseMetric, parseParams, parseTags } from "../cli/parse.js";
import type { Run } from "../types.js";

const MAX_BATCH = 10_000;
const END_STATUSES = ["FINISHED", "FAILED", "KILLED"] as const;
type EndStatus = (typeof END_STATUSES)[number];

interface LogOpts extends CommonOptions {
  run?: string;
  experiment?: string;
  name?: string;
  param: string[];
  metric: string[];
  tag: string[];
  status?: string;
}

export function registerRuns(program: Command) {
  const runs = program.command("runs").description("experiment runs");
  common(runs.command("log"))
    .description("start a run (--experiment) or add to one (--run ID): params, metrics, tags; --status ends it. Prints the run id")
    .option("--run <id>", "add to this run instead of starting one")
    .option("-e, --experiment <name>", "the experiment of a new run (default: Default)")
    .option("-n, --name <name>", "the new run's name")
    .option("--param <key=value>", "a parameter; numbers and true/false keep their type (repeatable)", collect, [])
    .option("--metric <key=value[@step]>", "a metric value at a step (default step 0; nan, inf allowed) (repeatable)", collect, [])
    .option("--tag <key=value>", "a tag (repeatable)", collect, [])
    .option("--status <status>", "end the run: FINISHED, FAILED or KILLED")
    .action(async (opts: LogOpts) => {
      if (opts.run && (opts.experiment || opts.name)) throw new UsageError("--experiment and --name name a new run: leave them out with --run");
      const status = opts.status?.toUpperCase();
      if (status !== undefined && !END_STATUSES.includes(status as EndStatus)) throw new UsageError("--status is FINISHED, FAILED or KILLED");
      const params = parseParams(opts.param);
      const tags = parseTags(opts.tag);
      const now = Date.now();
      const points = opts.metric.map((m) => parseMetric(m, now));

      const { client, out, project } = await connect(opts);
      // tRPC procedures take the project's id, so "org/project" is looked up once.
      const projectId = await client.projectId(await project());
      let runId: string;
      if (opts.run) {
        runId = opts.run;
        if (Object.keys(params).length) await client.runs.logParams(projectId, runId, params);
        if (Object.keys(tags).length) await client.runs.setTags(projectId, runId, tags);
      } else {
        const created = await client.runs.create({ projectId, experiment: opts.experiment ?? "Default", name: opts.name, params, tags, status: "RUNNING" });
        runId = created.id;
      }
      for (let i = 0; i < points.length; i += MAX_BATCH) await client.runs.logMetrics(projectId, runId, points.slice(i, i + MAX_BATCH), randomUUID());
      const run: Run = status ? await client.runs.finish(projectId, runId, status as EndStatus) : await client.runs.get(projectId, runId);
      // Plain output is the id alone, so `RUN=$(cairn runs log …)` works.
      out.result(run, () => run.id);
    });
}
