import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { registerWorker } from "../fleet/workers";
import { queueNames } from "../jobs/definitions";
import { callerAs, createUser, uniq } from "../testing/factories";
import { checkHealth } from "./health";

describe("checkHealth", () => {
  it("reports ok with database, queue and worker status", async () => {
    const health = await checkHealth();
    expect(health).toMatchObject({
      status: "ok",
      database: { ok: true },
      queue: { ok: true },
      workers: { online: 0 },
      version: expect.any(String),
    });
    expect(health.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.queue.error).toBeUndefined();
  });

  it("counts online workers", async () => {
    const before = await checkHealth();
    await registerWorker({
      id: uniq("host"),
      hostname: "test-host",
      pid: 1,
      queues: queueNames(),
      concurrency: {},
      cpuCount: 1,
      cpuModel: "test",
      memoryBytes: 1024,
      gpus: [],
      version: "test",
      nodeVersion: process.version,
    });
    const after = await checkHealth();
    expect(after.workers).toEqual({ online: (before.workers?.online ?? 0) + 1 });
    // Queue counts are pg-boss's, refreshed by a supervising worker's monitor; here they only need to be numbers.
    expect(after.queue.queued).toBeGreaterThanOrEqual(0);
    expect(after.queue.active).toBeGreaterThanOrEqual(0);
  });

  it("is what system.health answers to any signed-in caller", async () => {
    const user = await createUser();
    await expect(callerAs(user).system.health()).resolves.toMatchObject({ status: "ok", database: { ok: true } });
    await expect(callerAs(null).system.health()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("does not add a listener to the pool on every check", async () => {
    await checkHealth();
    const listeners = pool().listenerCount("error");
    for (let i = 0; i < 15; i++) await checkHealth();
    expect(listeners).toBeGreaterThan(0);
    expect(pool().listenerCount("error")).toBe(listeners);
  });
});
