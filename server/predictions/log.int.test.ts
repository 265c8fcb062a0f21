/**
 * The prediction log against real Postgres: what log() costs on the request path, what the flusher
 * writes (exactly once, also after failed tries) and what is dropped and counted under overload.
 */
import net from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { pool } from "../db";
import { env } from "../env";
import { PredictionLogger, sampled, type PredictionEntry } from "./log";

const loggers: PredictionLogger[] = [];
afterEach(async () => {
  await Promise.all(loggers.splice(0).map((l) => l.close()));
  await pool().query(`DELETE FROM "PredictionLog"`);
  await pool().query(`DROP TRIGGER IF EXISTS fail_some ON "PredictionLog"`);
});

function logger(opts: Partial<ConstructorParameters<typeof PredictionLogger>[0]> = {}): PredictionLogger {
  const l = new PredictionLogger({ pool: pool(), onError: () => {}, retryDelayMs: 5, ...opts });
  loggers.push(l);
  return l;
}

const entry = (i: number, over: Partial<PredictionEntry> = {}): PredictionEntry => ({
  projectId: "p1",
  deploymentId: "d1",
  versionId: "v1",
  requestId: `r-${i}`,
  role: "primary",
  inputs: { distance: i, city: "Zürich" },
  outputs: [i * 2.5],
  latencyMs: 0.25 + i,
  ...over,
});

const count = async () => Number((await pool().query<{ n: string }>(`SELECT count(*) AS n FROM "PredictionLog"`)).rows[0]!.n);
const distinct = async () => Number((await pool().query<{ n: string }>(`SELECT count(DISTINCT "requestId") AS n FROM "PredictionLog"`)).rows[0]!.n);

/** A trigger that fails the statement on request id `r-<at>` for the next `times` statements that reach it. */
async function failAt(at: number, times: number) {
  await pool().query(`DROP SEQUENCE IF EXISTS fail_seq; CREATE SEQUENCE fail_seq`);
  await pool().query(`CREATE OR REPLACE FUNCTION fail_some() RETURNS trigger AS $$
    BEGIN
      -- nextval is not rolled back with the failed COPY, so it counts the tries.
      IF NEW."requestId" = 'r-${at}' AND nextval('fail_seq') <= ${times} THEN RAISE EXCEPTION 'injected failure at row ${at}'; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await pool().query(`CREATE TRIGGER fail_some BEFORE INSERT ON "PredictionLog" FOR EACH ROW EXECUTE FUNCTION fail_some()`);
}

describe("PredictionLogger", () => {
  it("writes each entry once with its values, JSON as jsonb and the time of log()", async () => {
    const l = logger();
    const before = Date.now();
    for (let i = 0; i < 3000; i++) l.log(entry(i, i === 7 ? { role: "shadow" } : {}));
    await l.flush();
    expect(await count()).toBe(3000);
    expect(await distinct()).toBe(3000);
    const { rows } = await pool().query(`SELECT * FROM "PredictionLog" WHERE "requestId" IN ('r-7', 'r-2999') ORDER BY "latencyMs"`);
    expect(rows[0]).toMatchObject({ projectId: "p1", deploymentId: "d1", versionId: "v1", requestId: "r-7", role: "shadow", inputs: { distance: 7, city: "Zürich" }, outputs: [17.5], latencyMs: 7.25 });
    expect(rows[1]).toMatchObject({ requestId: "r-2999", role: "primary", outputs: [7497.5] });
    const at = (rows[0] as { createdAt: Date }).createdAt.getTime();
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(l.stats()).toMatchObject({ logged: 3000, written: 3000, droppedOverflow: 0, droppedFailed: 0, pending: 0 });
  });

  it("keeps values jsonb would refuse (NUL, lone surrogates) and drops only entries that are not JSON", async () => {
    const l = logger();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    l.log(entry(1, { inputs: { "k\0ey": "a\0b", s: "\ud800x", escaped: "\\u0000 stays", pair: "🚀" }, requestId: "r-1\0" }));
    l.log(entry(2, { inputs: cyclic }));
    l.log(entry(3, { outputs: { big: 1n } }));
    l.log(entry(4, { inputs: undefined }));
    await l.flush();
    const { rows } = await pool().query<{ requestId: string; inputs: unknown }>(`SELECT "requestId", inputs FROM "PredictionLog" ORDER BY "latencyMs"`);
    expect(rows).toEqual([
      { requestId: "r-1\uFFFD", inputs: { "k\uFFFDey": "a\uFFFDb", s: "\uFFFDx", escaped: "\\u0000 stays", pair: "🚀" } },
      { requestId: "r-4", inputs: null },
    ]);
    expect(l.stats()).toMatchObject({ written: 2, droppedFailed: 2 });
    expect(l.dropped).toBe(2);
  });

  it("under overload returns from log() at once, holds at most its capacity and counts the drops", async () => {
    // The table locked by another transaction: the flusher's COPY hangs as on a stuck database.
    const locker = await pool().connect();
    await locker.query(`BEGIN; LOCK TABLE "PredictionLog" IN ACCESS EXCLUSIVE MODE`);
    const l = logger({ capacity: 1000, batchSize: 100, flushIntervalMs: 5 });
    try {
      for (let i = 0; i < 500; i++) l.log(entry(i));
      await new Promise((r) => setTimeout(r, 100)); // the flusher has taken a batch and is waiting on the lock
      expect(l.stats().pending).toBe(500);
      const started = performance.now();
      let returned: unknown = "not called";
      for (let i = 500; i < 100_500; i++) returned = l.log(entry(i)) as unknown;
      const perCallUs = ((performance.now() - started) * 1000) / 100_000;
      expect(returned).toBeUndefined(); // not a promise: nothing to await on the request path
      expect(perCallUs).toBeLessThan(20);
      expect(l.stats()).toMatchObject({ logged: 1000, droppedOverflow: 99_500, pending: 1000 });
    } finally {
      await locker.query("ROLLBACK");
      locker.release();
    }
    await l.flush();
    expect(await count()).toBe(1000);
    expect(await distinct()).toBe(1000);
    expect(l.stats()).toMatchObject({ written: 1000, pending: 0, droppedFailed: 0 });
    expect(l.dropped).toBe(99_500);
    l.log(entry(200_000)); // room again once written
    await l.flush();
    expect(await count()).toBe(1001);
  });

  it("retries a COPY that failed midway and writes every entry exactly once", async () => {
    await failAt(500, 2);
    const l = logger({ maxAttempts: 3 });
    for (let i = 0; i < 1000; i++) l.log(entry(i));
    await l.flush();
    // The failed tries left no rows behind (one COPY is one transaction), the third wrote them all.
    expect(await count()).toBe(1000);
    expect(await distinct()).toBe(1000);
    expect(l.stats()).toMatchObject({ written: 1000, droppedFailed: 0 });
  });

  it("gives a batch up after maxAttempts, counts it dropped and goes on with the next", async () => {
    await failAt(500, 3);
    const errors: unknown[] = [];
    const l = logger({ maxAttempts: 3, onError: (e) => errors.push(e), maxCopyRows: 1000 });
    for (let i = 0; i < 1500; i++) l.log(entry(i));
    await l.flush();
    expect(errors).toHaveLength(3);
    expect(String(errors[0])).toMatch(/injected failure/);
    expect(await count()).toBe(500); // the second batch (r-1000 …) was written
    expect(l.stats()).toMatchObject({ written: 500, droppedFailed: 1000 });
  });

  it("flushes on its own by interval and by batch size, and close() writes what remains", async () => {
    const l = logger({ flushIntervalMs: 20, batchSize: 1_000_000 });
    for (let i = 0; i < 10; i++) l.log(entry(i));
    const deadline = Date.now() + 5000;
    while ((await count()) < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await count()).toBe(10);

    const bySize = logger({ flushIntervalMs: 3_600_000, batchSize: 50 });
    for (let i = 10; i < 60; i++) bySize.log(entry(i));
    const deadline2 = Date.now() + 5000;
    while ((await count()) < 60 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 10));
    expect(await count()).toBe(60);

    const last = logger({ flushIntervalMs: 3_600_000 });
    for (let i = 60; i < 70; i++) last.log(entry(i));
    expect(await count()).toBe(60);
    await last.close();
    expect(await count()).toBe(70);
    last.log(entry(70));
    expect(last.dropped).toBe(1);
    await last.close();
    expect(await count()).toBe(70);
  });

  it("samples by request id: about the rate, the same answer for both roles and every process", async () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `req-${i}-${(i * 7919) % 104729}`);
    const kept = ids.filter((id) => sampled(id, 0.25)).length;
    expect(kept / ids.length).toBeGreaterThan(0.23);
    expect(kept / ids.length).toBeLessThan(0.27);
    expect(ids.every((id) => sampled(id, 1) && !sampled(id, 0))).toBe(true);
    // Independent of an unsalted FNV-1a of the same id (what a sticky A/B split might use): among the
    // ids such a hash puts in a 10 % arm, about the sampling rate is kept, not all or none.
    const fnv = (s: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      return (h >>> 0) / 2 ** 32;
    };
    const arm = ids.filter((id) => fnv(id) < 0.1);
    const keptInArm = arm.filter((id) => sampled(id, 0.1)).length / arm.length;
    expect(keptInArm).toBeGreaterThan(0.06);
    expect(keptInArm).toBeLessThan(0.14);
    const l = logger();
    for (let i = 0; i < 2000; i++) {
      l.log(entry(i, { sampleRate: 0.5 }));
      l.log(entry(i, { sampleRate: 0.5, role: "shadow", versionId: "v2" }));
    }
    await l.flush();
    const { rows } = await pool().query<{ n: string; roles: string }>(`SELECT count(*) AS n, count(*) FILTER (WHERE roles <> 2) AS roles FROM (SELECT "requestId", count(*) AS roles FROM "PredictionLog" GROUP BY 1) t`);
    const n = Number(rows[0]!.n);
    expect(n).toBeGreaterThan(900);
    expect(n).toBeLessThan(1100);
    expect(Number(rows[0]!.roles)).toBe(0);
    expect(l.stats().sampledOut).toBe(4000 - 2 * n);
  });
});

/**
 * A TCP proxy in front of Postgres that, once armed, cuts the connection as the server reports a
 * COPY complete: the rows are committed but the client only sees its connection die, the one case
 * where a blind retry would write the batch twice.
 */
async function cuttingProxy() {
  const target = new URL(env().DATABASE_URL);
  let armed = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on("data", (d) => upstream.write(d));
    upstream.on("data", (d) => {
      if (armed && d.includes("COPY ")) {
        armed = false;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(d);
    });
    for (const s of [client, upstream]) s.on("error", () => {}).on("close", () => (client.destroy(), upstream.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    pool: new pg.Pool({ connectionString: url.toString(), max: 2 }),
    arm: () => (armed = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe("PredictionLogger after a lost acknowledgement", () => {
  it("does not write a committed batch again when its connection died before the answer", async () => {
    const proxy = await cuttingProxy();
    const errors: unknown[] = [];
    const l = new PredictionLogger({ pool: proxy.pool, retryDelayMs: 5, onError: (e) => errors.push(e) });
    proxy.pool.on("error", () => {});
    try {
      proxy.arm();
      for (let i = 0; i < 800; i++) l.log(entry(i));
      await l.flush();
      expect(errors.length).toBeGreaterThan(0); // the first try did see a failure
      expect(await count()).toBe(800);
      expect(await distinct()).toBe(800);
      expect(l.stats()).toMatchObject({ written: 800, droppedFailed: 0 });
    } finally {
      await l.close();
      await proxy.pool.end();
      await proxy.close();
    }
  });
});
