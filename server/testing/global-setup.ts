/**
 * Vitest global setup: one embedded PostgreSQL for the whole run, with a migrated template
 * database that every test file copies (server/testing/setup-db.ts).
 */
import path from "node:path";
import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../scripts/db/engine";
import { ensureDatabase, makeTempDir, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";

export const TEMPLATE_DB = "cairn_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await makeTempDir("cairn-vitest-");
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false, fast: true });
  await ensureDatabase(cluster.adminUrl, TEMPLATE_DB);
  await applyMigrations(cluster.urlFor(TEMPLATE_DB));
  project.provide("pgAdminUrl", cluster.adminUrl);
  project.provide("pgTemplate", TEMPLATE_DB);
  return async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
