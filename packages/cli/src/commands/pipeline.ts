/**
 * `cairn pipeline push | run | status`. `run --wait` long-polls the run until it finishes, prints
 * step states as they change and the gate report of the version it registered, and exits 0 only
 * when the run SUCCEEDED (1 when it failed, was cancelled or the wait timed out).
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { CairnClient } from "../client.js";
import { common, connect, type CommonOptions } from "../cli/context.js";
import { FailedOutcome, UsageError } from "../cli/errors.js";
import type { Out } from "../cli/output.js";
import { bar, duration, table } from "../cli/output.js";
import { collect, parseParams, positiveInt } from "../cli/parse.js";
import { CairnApiError } from "../wire.js";
import { TERMINAL_RUN_STATUSES, TERMINAL_STEP_STATUSES, type GateReport, type PipelineRun, type StepRun } from "../types.js";

/** The longest wait one request asks the server for (it holds at most 60 s). */
const POLL_SECONDS = 30;

export function registerPipeline(program: Command) {
  const pipeline = program.command("pipeline").description("pipelines defined in cairn.yaml");

  common(pipeline.command("push [file]"))
    .description("save cairn.yaml (or FILE) as the pipeline's next revision; YAML mistakes are printed as FILE:LINE:COL: message")
    .action(async (file: string | undefined, opts: CommonOptions) => {
      const path = file ?? "cairn.yaml";
      const yaml = await readFile(path, "utf8").catch(() => {
        throw new UsageError(`cannot read ${path}`);
      });
      const { client, out, project } = await connect(opts);
      try {
        const saved = await client.pipelines.push(await project(), yaml, { source: "cli" });
        out.result(saved, () => `${saved.name}: revision ${saved.revision.number} saved (sha256 ${saved.revision.sha256.slice(0, 12)})`);
      } catch (err) {
        const problems = err instanceof CairnApiError ? err.details.problems : undefined;
        if (!problems?.length) throw err;
        const { code, message } = err as CairnApiError;
        // Editors and CI annotate FILE:LINE:COL lines; the JSON answer keeps the problems as given.
        if (out.json) out.result({ error: { code, message, problems } }, () => []);
        else for (const p of problems) process.stderr.write(`${path}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ""}${p.message}\n`);
        throw new UsageError(`${path}: ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing saved`);
      }
    });

  common(pipeline.command("run <name>"))
    .description("start a run of the pipeline; with --wait, follow it and exit 0 only if it succeeded")
    .option("--param <key=value>", "a pipeline parameter (repeatable)", collect, [])
    .option("--wait", "wait for the run to finish, printing step states and the gate report")
    .option("--timeout <seconds>", "with --wait: give up after this many seconds (exit 1)", "3600")
    .option("--idempotency-key <key>", "a second start with the same key answers the first run (e.g. the CI job's id)")
    .action(async (name: string, opts: CommonOptions & { param: string[]; wait?: boolean; timeout: string; idempotencyKey?: string }) => {
      const timeout = positiveInt(opts.timeout, "--timeout");
      const params = parseParams(opts.param);
      const { client, out, project } = await connect(opts);
      const ref = await project();
      const { run, created } = await client.pipelines.start(ref, name, { params, idempotencyKey: opts.idempotencyKey });
      if (!opts.wait) {
        out.result(run, () => `${name} run #${run.number} ${created ? "started" : "already started with this idempotency key"}: ${run.status}`);
        return;
      }
      out.line(`${name} run #${run.number} ${created ? "started" : "(already started with this idempotency key)"}`);
      const finished = await follow(client, out, ref, run, timeout);
      await report(client, out, ref, finished);
    });

  common(pipeline.command("status <name> [number]"))
    .description("a run's state and steps (default: the newest run); exits 1 when that run failed or was cancelled")
    .action(async (name: string, number: string | undefined, opts: CommonOptions) => {
      const { client, out, project } = await connect(opts);
      const ref = await project();
      let run: PipelineRun | undefined;
      if (number) run = await client.pipelines.run(ref, name, positiveInt(number, "the run number"));
      else [run] = await client.pipelines.runs(ref, name, { limit: 1 });
      if (!run) throw new UsageError(`${name} has no runs yet`);
      const shown = run;
      if (!out.json) {
        out.line(`${name} run #${shown.number}: ${shown.status} (${shown.trigger}, revision ${shown.revisionNumber})`);
        for (const line of table(shown.steps.map(stepRow))) out.line(line);
      }
      await report(client, out, ref, shown, { header: false });
    });
}

function stepRow(s: StepRun): string[] {
  const took = s.startedAt && s.finishedAt ? duration((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000) : "";
  const note = s.status === "CACHED" && s.cachedFrom ? `reused from run #${s.cachedFrom.number}` : (s.message ?? "");
  return [s.stepId, s.status, took, note];
}

/** Long-polls the run until it is finished (or the timeout), printing each step whose state changed. */
async function follow(client: CairnClient, out: Out, project: string, first: PipelineRun, timeoutSeconds: number): Promise<PipelineRun> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const seen = new Map<string, string>();
  const logged = new Map<string, number>();
  let run = first;
  let failures = 0;
  for (;;) {
    const changed = run.steps.filter((s) => seen.get(s.stepId) !== s.status);
    // A step's new log lines (e.g. "waiting for approvals") say why a long wait is long.
    const lines = run.steps.flatMap((s) => s.log.slice(logged.get(s.stepId) ?? 0).map((l) => `    ${s.stepId}: ${l}`));
    if (changed.length || lines.length) out.progress.clear();
    for (const line of lines) out.line(line);
    for (const line of table(changed.map(stepRow))) out.line(line);
    for (const s of run.steps) logged.set(s.stepId, s.log.length);
    for (const s of changed) seen.set(s.stepId, s.status);
    if (TERMINAL_RUN_STATUSES.includes(run.status)) return run;
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) {
      out.progress.clear();
      throw new FailedOutcome(`timed out after ${duration(timeoutSeconds)}: run #${run.number} is still ${run.status} (see cairn pipeline status ${run.pipelineName} ${run.number})`);
    }
    const done = run.steps.filter((s) => TERMINAL_STEP_STATUSES.includes(s.status)).length;
    const running = run.steps.find((s) => s.status === "RUNNING");
    const shown = run;
    const draw = () =>
      out.progress.update(`${bar(shown.steps.length ? done / shown.steps.length : 0)} ${done}/${shown.steps.length} steps  ${shown.status}${running ? ` · ${running.stepId}` : ""}  ${duration((Date.now() - Date.parse(shown.createdAt)) / 1000)}`);
    draw();
    // The elapsed time keeps moving on a terminal while the server holds the long poll.
    const ticker = out.progress.enabled ? setInterval(draw, 1000) : null;
    try {
      run = await client.pipelines.run(project, run.pipelineName, run.number, { wait: Math.min(POLL_SECONDS, left) });
      failures = 0;
    } catch (err) {
      // A restarting server or a proxy's 502 should not fail a CI job that waits an hour; a 4xx does.
      const transient = !(err instanceof CairnApiError) || err.status >= 500 || err.status === 429;
      if (!transient || ++failures > 5) throw err;
      await new Promise((r) => setTimeout(r, 1000 * 2 ** failures));
    } finally {
      if (ticker) clearInterval(ticker);
    }
  }
}

/** The model version a run registered (the gate step's, else the register step's). */
function registered(run: PipelineRun): { model: string; version: number } | null {
  const withVersion = run.steps.filter((s) => s.outputs?.modelName && s.outputs.modelVersion);
  const step = withVersion.find((s) => s.kind === "gate") ?? withVersion.find((s) => s.kind === "register");
  return step ? { model: step.outputs!.modelName!, version: step.outputs!.modelVersion! } : null;
}

/** Prints the run's outcome and its gate report; throws FailedOutcome unless the run SUCCEEDED. */
async function report(client: CairnClient, out: Out, project: string, run: PipelineRun, o: { header?: boolean } = {}) {
  const version = TERMINAL_RUN_STATUSES.includes(run.status) ? registered(run) : null;
  let gate: GateReport | null = null;
  if (version) {
    gate = await client.models.gate(project, version.model, version.version).catch((err: unknown) => {
      if (err instanceof CairnApiError && err.status === 404) return null; // registered, never gated
      throw err;
    });
  }
  if (out.json) out.result({ run, gate }, () => []);
  else {
    if (o.header !== false) {
      const took = run.finishedAt ? ` in ${duration((Date.parse(run.finishedAt) - Date.parse(run.startedAt ?? run.createdAt)) / 1000)}` : "";
      out.line(`${run.pipelineName} run #${run.number}: ${run.status}${took}${run.error ? ` (${run.error})` : ""}`);
    }
    if (version && gate) for (const line of gateLines(version, gate)) out.line(line);
    else if (version) out.line(`${version.model} v${version.version}: no gate report`);
  }
  if (run.status === "FAILED" || run.status === "CANCELLED") throw new FailedOutcome(`${run.pipelineName} run #${run.number} ${run.status}`);
}

export function gateLines(version: { model: string; version: number }, gate: GateReport): string[] {
  const verdict = gate.status === "DONE" ? (gate.passed ? "passed" : "failed") : gate.status === "FAILED" ? `could not run (${gate.error ?? "error"})` : gate.status.toLowerCase();
  const champion = gate.report?.champion ? ` against champion v${gate.report.champion.number}` : "";
  const checks = (gate.report?.checks ?? []).map((c) => [c.skipped ? "skip" : c.status, c.name, c.skipped ?? c.summary]);
  return [`gate of ${version.model} v${version.version}${champion}: ${verdict}`, ...table(checks)];
}
