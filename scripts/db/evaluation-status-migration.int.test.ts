/** The evaluation_status_enum migration converts existing report statuses in place (the generated DROP/ADD would have reset them). */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, expect, inject, it } from "vitest";
import { MIGRATIONS_DIR } from "./engine";

const adminUrl = inject("pgAdminUrl");
const name = `scratch_${randomBytes(5).toString("hex")}`;
const MIGRATION = "evaluation_status_enum";

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

afterAll(async () => {
  const admin = await connect(adminUrl);
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.end();
});

it("keeps every report's status when the column becomes an enum", async () => {
  const admin = await connect(adminUrl);
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await connect(url.toString());
  try {
    const dirs = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const target = dirs.find((d) => d.endsWith(`_${MIGRATION}`))!;
    expect(target).toBeDefined();
    for (const dir of dirs.filter((d) => d < target)) await db.query(await readFile(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8"));
    // Reports only, without their runs: foreign keys are not what this test is about.
    await db.query("SET session_replication_role = replica");
    for (const [id, status] of [["r1", "PENDING"], ["r2", "RUNNING"], ["r3", "DONE"], ["r4", "FAILED"]]) {
      await db.query(`INSERT INTO "EvaluationReport" (id, "projectId", "runId", "versionId", split, status, "updatedAt") VALUES ($1, 'p', $1, 'v', 'test', $2, now())`, [id, status]);
    }
    await db.query(await readFile(path.join(MIGRATIONS_DIR, target, "migration.sql"), "utf8"));
    const rows = await db.query<{ id: string; status: string; type: string }>(`SELECT id, status::text AS status, pg_typeof(status)::text AS type FROM "EvaluationReport" ORDER BY id`);
    expect(rows.rows).toEqual([
      { id: "r1", status: "PENDING", type: '"EvaluationStatus"' },
      { id: "r2", status: "RUNNING", type: '"EvaluationStatus"' },
      { id: "r3", status: "DONE", type: '"EvaluationStatus"' },
      { id: "r4", status: "FAILED", type: '"EvaluationStatus"' },
    ]);
    await db.query(`INSERT INTO "EvaluationReport" (id, "projectId", "runId", "versionId", split, "updatedAt") VALUES ('r5', 'p', 'r5', 'v', 'test', now())`);
    expect((await db.query(`SELECT status::text AS s FROM "EvaluationReport" WHERE id = 'r5'`)).rows[0]).toEqual({ s: "PENDING" });
    await expect(db.query(`UPDATE "EvaluationReport" SET status = 'FINISHED' WHERE id = 'r5'`)).rejects.toThrow(/invalid input value for enum/);
  } finally {
    await db.end();
  }
});
