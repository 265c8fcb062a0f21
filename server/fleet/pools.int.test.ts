import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { addMember, callerAs, callerWithToken, createTestProject, createUser, mintToken, uniq, type TestUser } from "../testing/factories";
import { waitFor } from "../testing/wait";
import { ingestVersion } from "../datasets/ingest";
import { profileVersion } from "../datasets/profile-job";
import { validateVersion } from "../datasets/validate-job";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { runTrainingJob, type WorkerHost } from "../training/job";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SHARED: WorkerHost = { id: "shared-worker", hostname: "shared-host", gpus: [], cpuCount: 2, version: "test" };
const MODEL_COMMAND = `cp "${path.join(ROOT, "server/training/fixtures/tiny.onnx")}" "$CAIRN_OUTPUT_DIR/model.onnx"`;
const before = { shared: process.env.CAIRN_SHARED_COMMANDS, admins: process.env.CAIRN_ADMIN_EMAILS };

// The installation default: only organisations an installation admin allowed use the shared workers for commands.
beforeEach(() => {
  delete process.env.CAIRN_SHARED_COMMANDS;
  delete process.env.CAIRN_ADMIN_EMAILS;
});
afterEach(() => {
  if (before.shared === undefined) delete process.env.CAIRN_SHARED_COMMANDS;
  else process.env.CAIRN_SHARED_COMMANDS = before.shared;
  if (before.admins === undefined) delete process.env.CAIRN_ADMIN_EMAILS;
  else process.env.CAIRN_ADMIN_EMAILS = before.admins;
});

async function* chunk(text: string) {
  yield Buffer.from(text);
}

async function tenant() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const caller = callerAs(owner);
  const { version } = await ingestVersion({
    projectId: project.id, orgId: owner.orgId, dataset: "deliveries", createDataset: true,
    actor: { type: "user", id: owner.userId, label: owner.email }, body: chunk(deliveriesCsv(150)), fileName: "deliveries.csv",
  });
  await profileVersion(version.id);
  await validateVersion(version.id);
  const command = await caller.training.saveCommand({ projectId: project.id, name: "train", command: MODEL_COMMAND, timeoutSeconds: 60 });
  const start = (trainer: "command" | "ridge" = "command") =>
    caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer, commandId: trainer === "command" ? command.id : undefined, evaluate: false });
  const status = (runId: string) => caller.training.status({ projectId: project.id, runId });
  return { owner, project, caller, start, status };
}

async function installationAdmin(): Promise<TestUser> {
  const admin = await createUser();
  await db().user.update({ where: { id: admin.userId }, data: { isInstallationAdmin: true } });
  return admin;
}

describe("shared pool permission", () => {
  it("sends a self-registered organisation's commands to its own pool, refuses them on the shared workers, and runs them there once an installation admin allows it", async () => {
    const a = await tenant();
    const run = await a.start();
    expect(await a.status(run.id)).toMatchObject({ status: "QUEUED", waitingFor: "org-worker", queue: `train.org.${a.owner.orgId}.v1` });
    // Built-in trainers are Cairn's own code and keep using the shared pool.
    const builtin = await a.start("ridge");
    expect((await a.status(builtin.id)).queue).toBe("train.v1");

    // A shared worker handed the command anyway (say, queued before the permission was withdrawn) refuses it.
    await runTrainingJob(run.id, SHARED);
    expect(await a.status(run.id)).toMatchObject({ status: "FAILED", error: expect.stringMatching(/shared workers do not run this organisation's training commands/) });

    // The organisation's own owner cannot grant itself the shared pool.
    await expect(a.caller.worker.setSharedCommands({ orgId: a.owner.orgId, allowed: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(a.caller.worker.orgPools()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(null).worker.setSharedCommands({ orgId: a.owner.orgId, allowed: true })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const { secret } = await mintToken(a.owner, { role: "ADMIN" });
    await expect((await callerWithToken(secret)).worker.setSharedCommands({ orgId: a.owner.orgId, allowed: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await a.caller.worker.pool({ orgId: a.owner.orgId })).toEqual({ sharedCommandsAllowed: false, installationAdmin: false });

    const admin = await installationAdmin();
    await expect(callerAs(admin).worker.setSharedCommands({ orgId: "nosuchorg", allowed: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(admin).worker.setSharedCommands({ orgId: a.owner.orgId, allowed: true })).resolves.toMatchObject({ sharedCommandsAllowed: true });
    const pools = await callerAs(admin).worker.orgPools();
    expect(pools.allByInstallation).toBe(false);
    expect(pools.orgs.find((o) => o.id === a.owner.orgId)).toMatchObject({ sharedCommandsAllowed: true });
    expect(await db().auditEvent.count({ where: { orgId: a.owner.orgId, action: "org.shared-commands" } })).toBe(1);

    const allowed = await a.start();
    expect((await a.status(allowed.id)).queue).toBe("train.v1");
    await runTrainingJob(allowed.id, SHARED);
    expect((await a.status(allowed.id)).status).toBe("FINISHED");
  });

  it("treats addresses in CAIRN_ADMIN_EMAILS as installation admins", async () => {
    const a = await tenant();
    const other = await createUser();
    await expect(callerAs(other).worker.setSharedCommands({ orgId: a.owner.orgId, allowed: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    process.env.CAIRN_ADMIN_EMAILS = ` someone@example.test, ${other.email.toUpperCase()} `;
    await expect(callerAs(other).worker.setSharedCommands({ orgId: a.owner.orgId, allowed: true })).resolves.toMatchObject({ sharedCommandsAllowed: true });
  });
});

describe("worker tokens", () => {
  it("are created, listed and revoked by the organisation's ADMINs only; other organisations and anonymous callers get NOT_FOUND / UNAUTHORIZED", async () => {
    const a = await tenant();
    const member = await createUser();
    await addMember(a.owner.orgId, member, "MEMBER");
    const stranger = await createUser();
    const orgId = a.owner.orgId;

    const created = await a.caller.worker.createToken({ orgId, name: "gpu box" });
    expect(created.secret).toMatch(/^cairn_/);
    const listed = await a.caller.worker.tokens({ orgId });
    expect(listed).toEqual([expect.objectContaining({ id: created.token.id, name: "gpu box", prefix: created.secret.slice(0, 12), revokedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect((await db().workerToken.findUniqueOrThrow({ where: { id: created.token.id } })).secretHash).not.toContain(created.secret);

    for (const [who, code] of [[callerAs(member), "FORBIDDEN"], [callerAs(stranger), "NOT_FOUND"], [callerAs(null), "UNAUTHORIZED"]] as const) {
      await expect(who.worker.tokens({ orgId })).rejects.toMatchObject({ code });
      await expect(who.worker.createToken({ orgId, name: "x" })).rejects.toMatchObject({ code });
      await expect(who.worker.revokeToken({ orgId, tokenId: created.token.id })).rejects.toMatchObject({ code });
    }
    // Another organisation's token id, named through one's own organisation, is not found.
    const theirs = await callerAs(stranger).worker.createToken({ orgId: stranger.orgId, name: uniq("t") });
    await expect(a.caller.worker.revokeToken({ orgId, tokenId: theirs.token.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    expect((await a.caller.worker.revokeToken({ orgId, tokenId: created.token.id })).revokedAt).not.toBeNull();
    expect(await db().auditEvent.count({ where: { orgId, action: { in: ["worker-token.create", "worker-token.revoke"] } } })).toBe(2);
  });

  it("lets a worker started with the token run its organisation's commands only; the worker is listed to that organisation alone", async () => {
    const a = await tenant();
    const b = await tenant();
    const { secret, token } = await a.caller.worker.createToken({ orgId: a.owner.orgId, name: "own box" });
    const runA = await a.start();
    const runB = await b.start();
    const worker: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "workers", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, CAIRN_WORKER_TOKEN: secret },
      stdio: "ignore",
    });
    try {
      await waitFor("the organisation's worker to run its command", async () => (await a.status(runA.id)).status === "FINISHED", { timeoutMs: 60_000, intervalMs: 250 });
      const listedToA = await a.caller.worker.list({ includeOffline: false });
      expect(listedToA.filter((w) => w.pool === "organisation")).toHaveLength(1);
      expect(listedToA.find((w) => w.pool === "organisation")!.queues).toEqual([`train.org.${a.owner.orgId}.v1`]);
      expect((await b.caller.worker.list({ includeOffline: false })).filter((w) => w.pool === "organisation")).toHaveLength(0);
      // Organisation B's command is none of this worker's business; B waits for its own pool.
      expect(await b.status(runB.id)).toMatchObject({ status: "QUEUED", waitingFor: "org-worker" });

      // Revoking the token stops the worker at its next heartbeat.
      await a.caller.worker.revokeToken({ orgId: a.owner.orgId, tokenId: token.id });
      await Promise.race([once(worker, "exit"), new Promise((_, reject) => setTimeout(() => reject(new Error("the worker kept running with a revoked token")), 30_000))]);
    } finally {
      worker.kill("SIGTERM");
    }
    // A revoked or unknown token does not start a worker at all.
    const refused = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "workers", "main.ts")], { cwd: ROOT, env: { ...process.env, CAIRN_WORKER_TOKEN: secret }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    refused.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(refused, "exit")) as [number];
    expect(code).toBe(1);
    expect(stderr).toMatch(/CAIRN_WORKER_TOKEN is unknown or revoked/);
  }, 120_000);
});
