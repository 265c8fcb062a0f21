/**
 * Per test file: a fresh database copied from the migrated template, so files never see each
 * other's rows. Sets DATABASE_URL before any server module reads it.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";

const adminUrl = inject("pgAdminUrl");
const template = inject("pgTemplate");
const name = `t_${randomBytes(6).toString("hex")}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(template)}`));

const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.NEXTAUTH_SECRET ??= "test-secret-test-secret-test-secret";
process.env.CAIRN_SECRET_KEY ??= "test-secret-key-test-secret-key-test-secret-key";
// Cheaper scrypt for the many accounts tests create; hashes record their own cost, so checks stay real.
process.env.CAIRN_SCRYPT_LOG_N ??= "10";
process.env.CAIRN_QUEUE_SUPERVISE_SECONDS ??= "1";
// Tests' organisations run commands on the shared (test) worker, as on a single-team install;
// server/fleet/pools.int.test.ts switches back to the default, where an installation admin decides.
process.env.CAIRN_SHARED_COMMANDS ??= "all";
// Artifacts of this file's tests go to their own folder, removed afterwards.
const dataDir = await mkdtemp(path.join(os.tmpdir(), "cairn-test-data-"));
process.env.CAIRN_DATA_DIR = dataDir;

afterAll(async () => {
  const { stopBoss } = await import("../jobs/boss");
  const { closeDb } = await import("../db");
  await stopBoss({ graceful: false, timeoutMs: 2000 });
  await closeDb();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
  await rm(dataDir, { recursive: true, force: true });
});
