/**
 * The worker as a real process (what `npm run start:worker` runs) against this file's database: it registers its
 * host, runs jobs, survives a crash of another worker mid-job without duplicating the job's effect,
 * and stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "../server/db";
import { systemPing, trainGpu } from "../server/jobs/definitions";
import { requestPing } from "../server/system/ping";
import { callerAs, createUser, type TestUser } from "../server/testing/factories";
import { waitFor } from "../server/testing/wait";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The id it registered as (its WorkerHost row), once it reports ready. */
  ready: () => Promise<string>;
}

const started: Worker[] = [];

/** Starts `npm run start:worker` (`node --import tsx workers/main.ts`) on this file's database. */
function startWorker(args: string[] = ["--queues", systemPing.name], env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, CAIRN_QUEUE_SUPERVISE_SECONDS: "1", ...env },
    // Its own process group, so that a crash takes down anything it started.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const worker: Worker = {
    child,
    output: () => output,
    exited,
    ready: () =>
      waitFor(
        `worker ready (output so far: ${output})`,
        async () => {
          if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${output}`);
          return /ready: (\S+) serving/.exec(output)?.[1];
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      ),
  };
  started.push(worker);
  return worker;
}

function killGroup(worker: Worker, signal: NodeJS.Signals) {
  if (worker.child.pid !== undefined && worker.child.exitCode === null && worker.child.signalCode === null) {
    try {
      process.kill(-worker.child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

afterEach(async () => {
  for (const worker of started.splice(0)) {
    killGroup(worker, "SIGKILL");
    await worker.exited;
  }
});

const actorOf = (u: TestUser) => ({ type: "user" as const, id: u.userId, label: u.email });
const pingRow = (id: string) => db().systemPing.findUniqueOrThrow({ where: { id } });

describe("the worker process", () => {
  it("registers its host and completes a ping", async () => {
    const owner = await createUser();
    const worker = startWorker();
    const workerId = await worker.ready();

    const host = await db().workerHost.findUniqueOrThrow({ where: { id: workerId } });
    expect(host).toMatchObject({
      hostname: os.hostname(),
      queues: [systemPing.name],
      concurrency: { [systemPing.name]: 1 },
      cpuCount: os.cpus().length,
      stoppedAt: null,
    });
    expect(host.cpuCount).toBeGreaterThan(0);
    expect(Number(host.memoryBytes)).toBeGreaterThan(0);
    // An installation admin sees the host by its id (members see shared hosts under a label: server/fleet/visibility.int.test.ts).
    await db().user.update({ where: { id: owner.userId }, data: { isInstallationAdmin: true } });
    const listed = await callerAs(owner).worker.list({ includeOffline: false });
    expect(listed.find((w) => w.id === workerId)).toMatchObject({ state: "online", queues: [systemPing.name], detailed: true });

    const ping = await requestPing({ orgId: owner.orgId, actor: actorOf(owner), holdMs: 0 });
    expect(ping.status).toBe("QUEUED");
    const done = await waitFor("ping completed", async () => {
      const row = await pingRow(ping.id);
      return row.status === "COMPLETED" && row;
    });
    expect(done).toMatchObject({ deliveries: 1, workerId, hostname: os.hostname() });
    expect(done.roundTripMs).toBeGreaterThanOrEqual(0);
    const viaApi = await callerAs(owner).system.getPing({ orgId: owner.orgId, pingId: ping.id });
    expect(viaApi).toMatchObject({ status: "COMPLETED", deliveries: 1 });
    expect(await db().auditEvent.count({ where: { action: "system.ping.completed", targetId: ping.id } })).toBe(1);
  });

  it(
    "finishes a crashed worker's ping on another worker, exactly once",
    async () => {
      const owner = await createUser();
      const first = startWorker();
      const firstId = await first.ready();
      const ping = await requestPing({ orgId: owner.orgId, actor: actorOf(owner), holdMs: 20_000 });
      await waitFor("ping running on the first worker", async () => {
        const row = await pingRow(ping.id);
        return row.status === "RUNNING" && row.deliveries === 1 && row.workerId === firstId;
      });

      const killedAt = Date.now();
      killGroup(first, "SIGKILL");
      expect(await first.exited).toMatchObject({ signal: "SIGKILL" });
      const second = startWorker();
      const secondId = await second.ready();
      expect(secondId).not.toBe(firstId);

      // The job stops heartbeating, is failed after 10 s and retried 1 s later; the second worker's
      // polling must find the retry within seconds (not pg-boss's 30 s backstop under NOTIFY).
      await waitFor(
        "the retry running on the second worker",
        async () => {
          const row = await pingRow(ping.id);
          return row.deliveries === 2 && row.workerId === secondId;
        },
        { timeoutMs: 25_000 - (Date.now() - killedAt), intervalMs: 250 },
      );
      // Then it is held for 20 s again.
      const done = await waitFor(
        "ping completed by the second worker",
        async () => {
          const row = await pingRow(ping.id);
          return row.status === "COMPLETED" && row;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(done).toMatchObject({ workerId: secondId, deliveries: 2 });
      const completions = await db().auditEvent.findMany({ where: { action: "system.ping.completed", targetId: ping.id } });
      expect(completions).toHaveLength(1);
      expect(completions[0]!.after).toMatchObject({ workerId: secondId, deliveries: 2 });
      // The killed worker never said goodbye; the survivor is still online.
      expect((await db().workerHost.findUniqueOrThrow({ where: { id: firstId } })).stoppedAt).toBeNull();
      expect((await db().workerHost.findUniqueOrThrow({ where: { id: secondId } })).stoppedAt).toBeNull();
    },
    120_000,
  );

  it("stops gracefully on SIGTERM: finishes its job, marks its host stopped, exits 0", async () => {
    const owner = await createUser();
    const worker = startWorker();
    const workerId = await worker.ready();
    const ping = await requestPing({ orgId: owner.orgId, actor: actorOf(owner), holdMs: 3000 });
    await waitFor("ping running", async () => (await pingRow(ping.id)).status === "RUNNING");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain("stopped");
    expect(await pingRow(ping.id)).toMatchObject({ status: "COMPLETED", deliveries: 1, workerId });
    const host = await db().workerHost.findUniqueOrThrow({ where: { id: workerId } });
    expect(host.stoppedAt).toBeInstanceOf(Date);
    await db().user.update({ where: { id: owner.userId }, data: { isInstallationAdmin: true } });
    const listed = await callerAs(owner).worker.list({ includeOffline: true });
    expect(listed.find((w) => w.id === workerId)?.state).toBe("offline");
  });

  it("refuses an unknown queue with a clear message and a non-zero exit", async () => {
    const before = await db().workerHost.count();
    const worker = startWorker(["--queues", `${systemPing.name},no.such.queue`]);
    const { code } = await worker.exited;
    expect(code).not.toBe(0);
    expect(worker.output()).toContain('Unknown queue "no.such.queue"');
    // The message lists the queues there are (by short name).
    expect(worker.output()).toContain("system.ping");
    expect(await db().workerHost.count()).toBe(before);
  });
});

describe("GPU hosts", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in for nvidia-smi that answers the worker's query the way the real tool does. */
  async function fakeNvidiaSmi(lines: string[]): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-nvidia-smi-"));
    dirs.push(dir);
    const file = path.join(dir, "nvidia-smi");
    const expected = "--query-gpu=name,memory.total,driver_version,uuid --format=csv,noheader,nounits";
    await writeFile(file, `#!/bin/sh\n[ "$*" = "${expected}" ] || { echo "unexpected arguments: $*" >&2; exit 2; }\nprintf '%s\\n' ${lines.map((l) => `'${l}'`).join(" ")}\n`);
    await chmod(file, 0o755);
    return file;
  }

  it("detects the GPUs nvidia-smi reports and serves the GPU training queue", async () => {
    const smi = await fakeNvidiaSmi(["NVIDIA H100 80GB HBM3, 81559, 550.54.15, GPU-1111", "NVIDIA H100 80GB HBM3, 81559, 550.54.15, GPU-2222"]);
    const worker = startWorker(["--queues", "train.gpu"], { CAIRN_NVIDIA_SMI: smi });
    const workerId = await worker.ready();
    expect(worker.output()).toContain(`serving ${trainGpu.name} with 2 GPU(s)`);
    const host = await db().workerHost.findUniqueOrThrow({ where: { id: workerId } });
    expect(host.queues).toEqual([trainGpu.name]);
    expect(host.gpus).toEqual([
      { name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, driver: "550.54.15", uuid: "GPU-1111" },
      { name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559, driver: "550.54.15", uuid: "GPU-2222" },
    ]);
  });

  it("serves GPU queues by default only where a GPU is found, and refuses to be asked for one without", async () => {
    const cpuOnly = startWorker([], { CAIRN_NVIDIA_SMI: path.join(os.tmpdir(), "no-such-nvidia-smi") });
    const cpuHost = await db().workerHost.findUniqueOrThrow({ where: { id: await cpuOnly.ready() } });
    expect(cpuHost.gpus).toEqual([]);
    expect(cpuHost.queues).toContain(systemPing.name);
    expect(cpuHost.queues).not.toContain(trainGpu.name);

    const smi = await fakeNvidiaSmi(["Tesla T4, 15360, 535.104.05, GPU-3333"]);
    const gpuHost = await db().workerHost.findUniqueOrThrow({ where: { id: await startWorker([], { CAIRN_NVIDIA_SMI: smi }).ready() } });
    expect(gpuHost.queues).toContain(trainGpu.name);

    const asked = startWorker(["--queues", "train.gpu"], { CAIRN_NVIDIA_SMI: path.join(os.tmpdir(), "no-such-nvidia-smi") });
    expect((await asked.exited).code).not.toBe(0);
    expect(asked.output()).toContain('Queue "train.gpu" needs a GPU, and nvidia-smi found none on this host');
  });
});
