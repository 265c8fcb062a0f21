import { existsSync } from "node:fs";
import { lstat, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { db, type Prisma } from "../db";
import { AppError } from "../errors";
import { newTokenSecret } from "../auth/tokens";
import { assertUsableVersion } from "../datasets/versions";
import { putArtifact, contentTypeOf } from "../runs/artifacts";
import { SYSTEM_ACTOR } from "../audit/audit";
import { emitEvent } from "../events/outbox";
import { runTrainingFinished } from "../events/definitions";
import { transitionRun } from "../runs/transitions";
import { describeFailure, execute } from "./executor";
import { prepareRunDir, sandboxCommand } from "./sandbox";
import { assertPoolMayRunCommand } from "../fleet/pools";
import { env as serverEnv } from "../env";
import { RunLogWriter } from "./logs";
import { writeSplits } from "./materialize";
import { checkOnnx } from "./onnx-check";
import { ensureEncodingFile } from "./encoding";
import { ZCommandEnv, ZTrainingSpec, type TrainingSpec } from "./schemas";
import { readStored } from "../lib/stored-json";
import { addressesOf, collectUnreferenced } from "../storage/references";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
const MAX_OUTPUT_FILES = 200;

export interface WorkerHost {
  id: string;
  hostname: string;
  gpus: { name: string }[];
  cpuCount: number;
  version: string;
  /** Set for a worker of an organisation's own pool (server/fleet/pools.ts). */
  orgId?: string | null;
}

/**
 * Marks the run RUNNING on this worker. A run found RUNNING was left by a worker that died: its
 * partial metrics, artifacts and evaluations are cleared so that the new attempt does not add to
 * them. Returns null when there is nothing to do (finished, cancelled, unknown).
 */
async function claim(runId: string, worker: WorkerHost) {
  // Bytes of the dead attempt's artifacts, removed from the store after the claim commits if nothing else uses them.
  let stale: string[] = [];
  const claimed = await db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ status: string; cancelRequested: boolean }[]>`SELECT status, "cancelRequested" FROM "Run" WHERE id = ${runId} FOR UPDATE`;
    const row = rows[0];
    if (!row || !["QUEUED", "RUNNING"].includes(row.status)) return null;
    if (row.cancelRequested) {
      await transitionRun(tx, { runId, from: ["QUEUED", "RUNNING"], to: "KILLED", actor: SYSTEM_ACTOR, action: "run.kill", data: { endedAt: new Date(), error: "cancelled" } });
      return null;
    }
    if (row.status === "RUNNING") {
      // The dead attempt's command may still be running as an orphan: its token stops working now.
      await tx.apiToken.updateMany({ where: { runId, revokedAt: null }, data: { revokedAt: new Date() } });
      await tx.metricSeries.deleteMany({ where: { runId } });
      await tx.metricBatch.deleteMany({ where: { runId } });
      stale = await addressesOf(tx, { runIds: [runId] });
      await tx.runArtifact.deleteMany({ where: { runId } });
      await tx.evaluationReport.deleteMany({ where: { runId } });
    }
    const moved = await transitionRun(tx, {
      runId,
      from: [row.status as "QUEUED" | "RUNNING"],
      to: "RUNNING",
      actor: SYSTEM_ACTOR,
      action: "run.start",
      detail: { worker: worker.id },
      data: {
        attempt: { increment: 1 },
        startedAt: new Date(),
        hostname: worker.hostname,
        progress: 0,
        error: null,
        environment: json({ host: worker.hostname, worker: worker.id, cpus: worker.cpuCount, gpus: worker.gpus.map((g) => g.name), node: process.version, cairn: worker.version }),
      },
    });
    return moved.changed ? tx.run.findUniqueOrThrow({ where: { id: runId } }) : null;
  });
  if (stale.length) await collectUnreferenced(stale);
  return claimed;
}

async function finish(runId: string, status: "FAILED" | "KILLED", error: string | null) {
  await db().$transaction((tx) =>
    transitionRun(tx, { runId, from: ["RUNNING"], to: status, actor: SYSTEM_ACTOR, action: status === "KILLED" ? "run.kill" : "run.fail", data: { error: error?.slice(0, 8000) ?? null, endedAt: new Date() } }),
  );
}

/** The train job: materialises the splits, runs the trainer or the project's command, checks and stores its outputs. */
export async function runTrainingJob(runId: string, worker: WorkerHost, jobSignal?: AbortSignal): Promise<void> {
  const run = await claim(runId, worker);
  if (!run) return;
  let lastProgress = 0;
  let progressAt = 0;
  const log = new RunLogWriter(runId, run.attempt, (value) => {
    // At most one progress write a second, and never backwards.
    if (value <= lastProgress || Date.now() - progressAt < 1000) return;
    lastProgress = value;
    progressAt = Date.now();
    void db().run.updateMany({ where: { id: runId, status: "RUNNING", attempt: run.attempt }, data: { progress: value } }).catch(() => undefined);
  });
  const abort = new AbortController();
  jobSignal?.addEventListener("abort", () => abort.abort(), { once: true });
  const watch = setInterval(() => {
    db().run.findUnique({ where: { id: runId }, select: { cancelRequested: true } }).then((r) => r?.cancelRequested && abort.abort(), () => undefined);
  }, 1000);
  const tmp = await mkdtemp(path.join(os.tmpdir(), `cairn-run-${runId}-`));
  let tokenId: string | null = null;
  try {
    log.write("system", `attempt ${run.attempt} on ${worker.hostname} (${worker.gpus.length ? worker.gpus.map((g) => g.name).join(", ") : "no GPU"})`);
    const spec: TrainingSpec = ZTrainingSpec.parse(run.spec);
    const version = await assertUsableVersion(run.projectId, spec.datasetVersionId, { allowFailedValidation: spec.allowFailedValidation });
    const dataDir = path.join(tmp, "data");
    const outputDir = path.join(tmp, "output");
    await Promise.all([mkdirp(dataDir), mkdirp(outputDir)]);
    const splits = await writeSplits(version, dataDir, abort.signal);
    log.write("system", `data: ${splits.train.rows} train / ${splits.validation.rows} validation / ${splits.test.rows} test rows of ${version.fileName} (v${version.number})`);
    const features = spec.features ?? version.columns.filter((c) => c !== spec.target && !(spec.exclude ?? []).includes(c));
    const common = {
      CAIRN_RUN_ID: runId,
      CAIRN_ATTEMPT: String(run.attempt),
      CAIRN_PROJECT_ID: run.projectId,
      CAIRN_TRAIN_PATH: splits.train.path,
      CAIRN_VALIDATION_PATH: splits.validation.path,
      CAIRN_TEST_PATH: splits.test.path,
      CAIRN_OUTPUT_DIR: outputDir,
      CAIRN_TARGET: spec.target,
      CAIRN_FEATURES: JSON.stringify(features),
      CAIRN_PARAMS: JSON.stringify(spec.params),
      PYTHONPATH: [path.join(ROOT, "public", "clients"), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
    };
    let command: string;
    let cwd = ROOT;
    let timeoutSeconds = 24 * 3600;
    let env: Record<string, string | undefined>;
    let argv: string[];
    let diskLimit: { dir: string; maxBytes: number } | undefined;
    if (spec.trainer === "command") {
      const c = await db().trainingCommand.findFirst({ where: { id: spec.commandId, projectId: run.projectId } });
      if (!c) throw new AppError("NOT_FOUND", "The run's training command was deleted");
      await assertPoolMayRunCommand({ projectId: run.projectId, workerOrgId: worker.orgId ?? null, hostname: worker.hostname });
      command = c.command;
      cwd = path.resolve(ROOT, c.workdir);
      if (!existsSync(cwd)) throw new AppError("BAD_REQUEST", `The command's working directory does not exist on ${worker.hostname}: ${cwd}`);
      const token = await mintRunToken(run.projectId, runId, c.timeoutSeconds);
      tokenId = token.id;
      const cairnData = path.resolve(serverEnv().CAIRN_DATA_DIR);
      const boxed = sandboxCommand({
        command,
        root: ROOT,
        runDir: tmp,
        cwd,
        hidden: [cairnData, path.join(ROOT, ".data"), serverEnv().CAIRN_ARTIFACTS_DIR ?? path.join(cairnData, "artifacts")],
        env: { ...readStored(ZCommandEnv, c.env, `environment of training command ${c.id}`), ...common, CAIRN_API_URL: apiUrl(), CAIRN_TOKEN: token.secret },
        timeoutSeconds: c.timeoutSeconds,
        hostname: worker.hostname,
      });
      await prepareRunDir(tmp);
      ({ argv, env, timeoutSeconds } = boxed);
      diskLimit = { dir: tmp, maxBytes: boxed.diskLimitBytes };
      log.write("system", `$ ${command}  (in ${cwd}, timeout ${timeoutSeconds} s, ${boxed.describe})`);
    } else {
      command = `"${process.execPath}" --import tsx "${path.join(ROOT, "workers", "train-builtin.ts")}"`;
      argv = ["/bin/sh", "-c", command];
      env = { ...process.env, ...common, CAIRN_TRAINER: spec.trainer };
      log.write("system", `built-in ${spec.trainer} trainer`);
    }
    const outcome = await execute({ argv, cwd, env, timeoutSeconds, signal: abort.signal, log, diskLimit });
    const failure = describeFailure(outcome, command);
    if (outcome.kind === "cancelled") {
      log.write("system", "cancelled");
      await finish(runId, "KILLED", "cancelled");
      return;
    }
    if (failure) throw new AppError("BAD_REQUEST", `${failure}\n${await tailAfterFlush(log)}`);
    const modelPath = path.join(outputDir, "model.onnx");
    const model = await lstat(modelPath).catch(() => null);
    if (!model) throw new AppError("BAD_REQUEST", `the command finished but wrote no model.onnx to $CAIRN_OUTPUT_DIR\n${await tailAfterFlush(log)}`);
    // A link would make the worker, outside the sandbox, read whatever file it names.
    if (!model.isFile()) throw new AppError("BAD_REQUEST", "model.onnx in $CAIRN_OUTPUT_DIR must be a regular file, not a link or a folder");
    const signature = await checkOnnx(await readFile(modelPath));
    log.write("system", `model.onnx: inputs ${signature.inputs.map((i) => `${i.name}:${i.type}`).join(", ")}; outputs ${signature.outputs.map((o) => o.name).join(", ")}`);
    if (spec.trainer === "command") {
      const encoding = await ensureEncodingFile({ outputDir, version, features, target: spec.target, io: signature, signal: abort.signal });
      if (encoding.written) log.write("system", `encoding.json derived from the training split: ${encoding.spec.features.map((f) => `${f.name} (${f.kind})`).join(", ")}`);
    }
    for (const file of await listFiles(outputDir)) {
      const rel = path.relative(outputDir, file).split(path.sep).join("/");
      await putArtifact({ projectId: run.projectId, runId, path: rel, body: fileChunks(file), contentType: contentTypeOf(rel) });
    }
    await db().$transaction(async (tx) => {
      const done = await transitionRun(tx, { runId, from: ["RUNNING"], to: "FINISHED", actor: SYSTEM_ACTOR, action: "run.finish", data: { progress: 1, endedAt: new Date() } });
      // Evaluation (and anything else that follows training) reacts to the event in its own domain.
      if (done.changed) await emitEvent(tx, runTrainingFinished, { projectId: run.projectId, payload: { runId, datasetVersionId: version.id } });
    });
    log.write("system", "finished");
  } catch (err) {
    if (!(err instanceof AppError)) {
      log.write("system", `worker error (will retry on another attempt): ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    log.write("system", `failed: ${err.message.split("\n")[0]}`);
    await finish(runId, "FAILED", err.message);
  } finally {
    clearInterval(watch);
    await log.end();
    if (tokenId) await db().apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } }).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}

async function tailAfterFlush(log: RunLogWriter): Promise<string> {
  await log.end();
  const tail = log.lastLines(20);
  return tail ? `--- last lines of the log ---\n${tail}` : "(the command printed nothing)";
}

function apiUrl(): string {
  return process.env.CAIRN_API_URL ?? process.env.CAIRN_PUBLIC_URL ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000";
}

/** A token that can log to this run only, expiring shortly after the command's timeout. */
async function mintRunToken(projectId: string, runId: string, timeoutSeconds: number) {
  const project = await db().project.findUniqueOrThrow({ where: { id: projectId }, select: { orgId: true } });
  const { secret, hash, prefix } = newTokenSecret();
  const token = await db().apiToken.create({
    data: { orgId: project.orgId, projectId, runId, name: `run ${runId}`, role: "MEMBER", prefix, secretHash: hash, expiresAt: new Date(Date.now() + (timeoutSeconds + 900) * 1000) },
  });
  return { id: token.id, secret };
}

async function mkdirp(dir: string) {
  const { mkdir } = await import("node:fs/promises");
  await mkdir(dir, { recursive: true });
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && (await stat(full)).size > 0) out.push(full);
      if (out.length > MAX_OUTPUT_FILES) throw new AppError("BAD_REQUEST", `the command wrote more than ${MAX_OUTPUT_FILES} files to the output directory`);
    }
  };
  await walk(dir);
  return out;
}

async function* fileChunks(file: string) {
  const { createReadStream } = await import("node:fs");
  for await (const chunk of createReadStream(file)) yield chunk as Buffer;
}
