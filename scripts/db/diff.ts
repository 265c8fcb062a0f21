/**
 * `npm run db:diff -- --name <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
 * the SQL that takes the existing migrations to schema.prisma. Works offline: the migrations are
 * replayed on a throw-away embedded PostgreSQL and compared with the schema there.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { MIGRATIONS_DIR, applyMigrations, diffDatabaseToSchema } from "./engine";
import { ensureDatabase, makeTempDir, startEmbeddedPostgres } from "../lib/embedded-postgres";

const { values } = parseArgs({ options: { name: { type: "string" } } });
const name = (values.name ?? "").trim().toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
if (!name) {
  console.error("Usage: npm run db:diff -- --name <what_changed>");
  process.exit(2);
}

const tmp = await makeTempDir("cairn-diff-");
const cluster = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), persistent: false, fast: true });
try {
  await ensureDatabase(cluster.adminUrl, "cairn_diff");
  const url = cluster.urlFor("cairn_diff");
  await applyMigrations(url);
  const sql = await diffDatabaseToSchema(url);
  if (!sql || sql.startsWith("-- This is an empty migration")) {
    console.log("schema.prisma matches the migrations: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), `${sql}\n`);
    await writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await cluster.stop();
  await rm(tmp, { recursive: true, force: true });
}
