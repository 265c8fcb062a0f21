import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait";
import { projectWithVersion } from "../testing/datasets";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { runTrainingJob, type WorkerHost } from "./job";
import { sandboxCommand } from "./sandbox";

const WORKER: WorkerHost = { id: "sandbox-worker", hostname: "sandbox-host", gpus: [], cpuCount: 2, version: "test" };
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const TINY_MODEL = path.join(ROOT, "server/training/fixtures/tiny.onnx");
const saved = { ...process.env };

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});


async function setup() {
  const { owner, project, caller, version } = await projectWithVersion(deliveriesCsv(200));
  const start = async (name: string, cmd: string, timeoutSeconds = 60) => {
    const c = await caller.training.saveCommand({ projectId: project.id, name, command: cmd, timeoutSeconds });
    return caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "command", commandId: c.id, evaluate: false });
  };
  const logText = async (runId: string) => (await caller.training.logs({ projectId: project.id, runId })).map((l) => l.line).join("\n");
  const status = (runId: string) => caller.training.status({ projectId: project.id, runId });
  return { owner, project, caller, version, start, logText, status };
}

/** A shell probe: prints "LEAK <what>" when `test` succeeds inside the command, "DENIED <what>" otherwise. */
const probe = (what: string, test: string) => `if ( ${test} ) >/dev/null 2>&1; then echo "LEAK ${what}"; else echo "DENIED ${what}"; fi`;

/** The test cluster's data folder (server/testing/global-setup.ts puts it in a cairn-vitest-* temp folder). */
function postgresDataDir(): string {
  const dir = readdirSync(os.tmpdir())
    .filter((d) => d.startsWith("cairn-vitest-"))
    .map((d) => path.join(os.tmpdir(), d, "pg"))
    .find((d) => existsSync(path.join(d, "PG_VERSION")));
  if (!dir) throw new Error("the test cluster's data folder was not found");
  return dir;
}

describe("the training command sandbox", () => {
  it("denies a command the secrets, the Postgres files, the artifact store, another run's folder and the worker's environment; a legit command still trains", async () => {
    const dataDir = process.env.CAIRN_DATA_DIR!;
    const marker = `secret-${Date.now()}`;
    await writeFile(path.join(dataDir, "secrets.json"), JSON.stringify({ nextauthSecret: marker }), { mode: 0o600 });
    await mkdir(path.join(dataDir, "artifacts"), { recursive: true });
    await writeFile(path.join(dataDir, "artifacts", "tenant-b-model.onnx"), marker, { mode: 0o600 });

    // Another tenant's run, busy in its own folder while the attack runs.
    const victim = await setup();
    const busy = await victim.start("victim", `echo "${marker}" > "$CAIRN_OUTPUT_DIR/weights.bin" && echo ready && sleep 30`);
    const victimJob = runTrainingJob(busy.id, WORKER);
    await waitFor("the other run to start", async () => /ready/.test(await victim.logText(busy.id)), { timeoutMs: 20_000 });

    const attacker = await setup();
    const script = [
      probe("secrets", `grep -q ${marker} "${dataDir}/secrets.json"`),
      probe("postgres", `cat "${postgresDataDir()}/PG_VERSION"`),
      probe("artifacts", `grep -q ${marker} "${dataDir}/artifacts/tenant-b-model.onnx"`),
      probe("other-run", `grep -q ${marker} ${os.tmpdir()}/cairn-run-${busy.id}-*/output/weights.bin`),
      probe("proc-environ", "cat /proc/*/environ | tr '\\0' '\\n' | grep -q -e DATABASE_URL -e NEXTAUTH_SECRET"),
      probe("env", 'test -n "$DATABASE_URL$NEXTAUTH_SECRET"'),
      probe("install-write", `touch "${ROOT}/pwned-by-command"`),
      `echo "uid=$(id -u)"`,
      `cp "${TINY_MODEL}" "$CAIRN_OUTPUT_DIR/model.onnx"`,
      `python3 -c "import cairn_tracking" && echo "client importable"`,
    ].join("\n");
    const run = await attacker.start("attack", script);
    await runTrainingJob(run.id, WORKER);
    const log = await attacker.logText(run.id);
    // The log also echoes the script itself, so only lines the probes printed count.
    expect(log).not.toMatch(/^LEAK /m);
    for (const what of ["secrets", "postgres", "artifacts", "other-run", "proc-environ", "env", "install-write"]) expect(log).toContain(`DENIED ${what}`);
    expect(log).toContain("uid=65534");
    expect(log).toContain("client importable");
    expect(existsSync(path.join(ROOT, "pwned-by-command"))).toBe(false);
    // The same run, confined, still delivers its model.
    expect((await attacker.status(run.id)).status).toBe("FINISHED");
    expect((await attacker.caller.run.get({ projectId: attacker.project.id, runId: run.id })).artifacts.map((a) => a.path)).toEqual(["encoding.json", "model.onnx"]);

    await victim.caller.training.cancel({ projectId: victim.project.id, runId: busy.id });
    await victimJob;
  }, 90_000);

  it("hides a data folder inside the install folder even where its files are world-readable", async () => {
    const hidden = path.join(ROOT, `.sandbox-test-data-${process.pid}`);
    const runDir = await mkdtemp(path.join(os.tmpdir(), "cairn-run-hidden-"));
    try {
      await mkdir(hidden, { recursive: true });
      await writeFile(path.join(hidden, "secrets.json"), "visible-marker", { mode: 0o644 });
      const boxed = sandboxCommand({ command: `cat "${hidden}/secrets.json"; ls -A "${hidden}" | wc -l`, root: ROOT, runDir, cwd: ROOT, hidden: [hidden], env: {}, timeoutSeconds: 10, hostname: "h" });
      const out = spawnSync(boxed.argv[0]!, boxed.argv.slice(1), { env: boxed.env as NodeJS.ProcessEnv, encoding: "utf8" });
      expect(out.stdout).not.toContain("visible-marker");
      expect(out.stdout.trim().split("\n").pop()).toBe("0");
    } finally {
      await rm(hidden, { recursive: true, force: true });
      await rm(runDir, { recursive: true, force: true });
    }
  });

  it("confines a command the same way when the worker is not root (user namespace, no uid switch)", async () => {
    const hidden = path.join(ROOT, `.sandbox-test-nonroot-${process.pid}`);
    const runDir = await mkdtemp(path.join(os.tmpdir(), "cairn-run-nonroot-"));
    const home = await mkdtemp(path.join(os.tmpdir(), "cairn-home-nonroot-"));
    try {
      await mkdir(hidden, { recursive: true });
      await writeFile(path.join(hidden, "secrets.json"), "nonroot-marker", { mode: 0o644 });
      await writeFile(path.join(os.tmpdir(), `cairn-outside-${process.pid}.txt`), "outside-marker", { mode: 0o644 });
      await Promise.all([runDir, home].map((d) => import("node:fs/promises").then((fs) => fs.chmod(d, 0o777))));
      const script = [
        `import { spawnSync } from "node:child_process";`,
        `import { sandboxCommand } from ${JSON.stringify(path.join(ROOT, "server/training/sandbox.ts"))};`,
        `const b = sandboxCommand({ command: process.argv[1], root: ${JSON.stringify(ROOT)}, runDir: ${JSON.stringify(runDir)}, cwd: ${JSON.stringify(ROOT)}, hidden: [${JSON.stringify(hidden)}], env: {}, timeoutSeconds: 10, hostname: "h" });`,
        `const out = spawnSync(b.argv[0], b.argv.slice(1), { env: b.env, encoding: "utf8" });`,
        `process.stdout.write(out.stdout + out.stderr);`,
      ].join("\n");
      const probes = [
        probe("hidden", `cat "${hidden}/secrets.json"`),
        probe("tmp", `cat ${os.tmpdir()}/cairn-outside-${process.pid}.txt`),
        probe("install-write", `touch "${ROOT}/pwned-nonroot"`),
        `echo "uid=$(id -u)"`,
        `touch "${runDir}/ok" && echo "run folder writable"`,
      ].join("\n");
      // As root the test plays a worker running as an ordinary user (nobody); otherwise it is one already.
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const out = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, probes], { ...asUser, cwd: ROOT, env: { ...process.env, HOME: home }, encoding: "utf8" });
      const text = out.stdout + out.stderr;
      expect(text).not.toMatch(/^LEAK /m);
      for (const what of ["hidden", "tmp", "install-write"]) expect(text).toContain(`DENIED ${what}`);
      expect(text).toContain("run folder writable");
      expect(text).toContain(`uid=${process.getuid?.() === 0 ? 65534 : process.getuid?.()}`);
    } finally {
      await rm(hidden, { recursive: true, force: true });
      await rm(runDir, { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
      await rm(path.join(os.tmpdir(), `cairn-outside-${process.pid}.txt`), { force: true });
    }
  });

  it("does not let a command's output link make the worker read a file for it", async () => {
    const { start, status, caller, project } = await setup();
    const secrets = path.join(process.env.CAIRN_DATA_DIR!, "secrets.json");
    await writeFile(secrets, JSON.stringify({ nextauthSecret: "link-marker" }), { mode: 0o600 });
    const run = await start("link", `ln -s "${secrets}" "$CAIRN_OUTPUT_DIR/model.onnx" && ln -s "${secrets}" "$CAIRN_OUTPUT_DIR/notes.txt"`);
    await runTrainingJob(run.id, WORKER);
    const s = await status(run.id);
    expect(s).toMatchObject({ status: "FAILED", error: expect.stringMatching(/must be a regular file/) });
    expect(s.error).not.toContain("link-marker");
    expect((await caller.run.get({ projectId: project.id, runId: run.id })).artifacts).toEqual([]);
  });

  it("enforces the installation's memory, file-size, disk and wall-time limits", async () => {
    const { start, status, caller, project } = await setup();
    // Saved before the installation lowered its cap: the cap still applies when the command runs.
    const wall = await start("wall", "sleep 30", 60);
    process.env.CAIRN_COMMAND_MEMORY_MB = "256";
    process.env.CAIRN_COMMAND_MAX_FILE_MB = "1";
    process.env.CAIRN_COMMAND_DISK_MB = "8";
    process.env.CAIRN_COMMAND_MAX_TIMEOUT_SECONDS = "3";
    const cases = [
      { name: "memory", cmd: `python3 -c "b = bytearray(1024 ** 3)"`, error: /MemoryError/ },
      { name: "file", cmd: `head -c 2000000 /dev/zero > "$CAIRN_OUTPUT_DIR/big"`, error: /file larger than the limit/ },
      { name: "disk", cmd: `for i in 1 2 3 4 5 6 7 8 9 10 11 12; do head -c 900000 /dev/zero > "$CAIRN_OUTPUT_DIR/part$i"; done; sleep 30`, error: /past the limit \(CAIRN_COMMAND_DISK_MB\)/ },
      { name: "wall", run: wall, error: /past its 3 s timeout/ },
    ];
    for (const c of cases) {
      const run = c.run ?? (await start(c.name, c.cmd!, 3));
      await runTrainingJob(run.id, WORKER);
      const s = await status(run.id);
      expect(s.status, c.name).toBe("FAILED");
      expect(s.error, c.name).toMatch(c.error);
    }
    // The cap also applies when saving: a longer timeout is refused with the reason.
    await expect(caller.training.saveCommand({ projectId: project.id, name: "long", command: "true", timeoutSeconds: 4 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/at most 3 s .*CAIRN_COMMAND_MAX_TIMEOUT_SECONDS/),
    });
  }, 120_000);

  it("refuses to run a command where bubblewrap is missing, unless the installation opts out", async () => {
    const { start, status, logText } = await setup();
    const run = await start("no-bwrap", `cp "${TINY_MODEL}" "$CAIRN_OUTPUT_DIR/model.onnx"`);
    process.env.PATH = "/nonexistent";
    await runTrainingJob(run.id, WORKER);
    expect(await status(run.id)).toMatchObject({ status: "FAILED", error: expect.stringMatching(/bwrap is not installed on worker sandbox-host.*CAIRN_SANDBOX=off/) });

    process.env.PATH = saved.PATH;
    process.env.CAIRN_SANDBOX = "off";
    const plain = await start("opted-out", `cp "${TINY_MODEL}" "$CAIRN_OUTPUT_DIR/model.onnx"`);
    await runTrainingJob(plain.id, WORKER);
    expect((await status(plain.id)).status).toBe("FINISHED");
    expect(await logText(plain.id)).toMatch(/NOT sandboxed \(CAIRN_SANDBOX=off\)/);
  }, 60_000);
});
