import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { applyMigrations, diffDatabaseToSchema, readMigrations } from "./engine";

const adminUrl = inject("pgAdminUrl");
const created: string[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test cluster; dropped after the file. */
async function scratchDatabase(template?: string): Promise<string> {
  const name = `scratch_${randomBytes(5).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}${template ? ` TEMPLATE ${c.escapeIdentifier(template)}` : ""}`));
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function sql(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await admin(async (c) => {
    for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
  });
});

describe("migrations", () => {
  it("applied to an empty database produce exactly schema.prisma", async () => {
    const url = await scratchDatabase();
    expect(await diffDatabaseToSchema(url)).toContain("CREATE TABLE");
    const applied = await applyMigrations(url);
    const expected = (await readMigrations()).migrationDirectories.map((m) => m.path);
    expect(expected.length).toBeGreaterThan(0);
    expect(applied).toEqual(expected);
    expect(await diffDatabaseToSchema(url)).toBe("");
    // Applying again is a no-op.
    expect(await applyMigrations(url)).toEqual([]);
  });

  it("leave this file's database (a copy of the migrated template) in step with the schema", async () => {
    expect(await diffDatabaseToSchema(process.env.DATABASE_URL!)).toBe("");
  });

  it("report a database that differs from the schema", async () => {
    const url = await scratchDatabase(inject("pgTemplate"));
    await sql(url, `ALTER TABLE "ApiToken" DROP COLUMN "lastUsedAt"`);
    await sql(url, `DROP INDEX "AuditEvent_orgId_at_idx"`);
    const diff = await diffDatabaseToSchema(url);
    expect(diff).toMatch(/ALTER TABLE "ApiToken" ADD COLUMN\s+"lastUsedAt"/);
    expect(diff).toContain(`CREATE INDEX "AuditEvent_orgId_at_idx"`);
  });
});
