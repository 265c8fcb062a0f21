/**
 * Vitest global setup: one embedded PostgreSQL for the whole run, with a migrated template
 * database that every test file copies (server/testing/setup-db.ts).
 */
import path from "node:path";
import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../scripts/db/engine";
import {
  ensureDatabase,
  freePort,
  makeTempDir,
  startEmbeddedPostgres,
  type EmbeddedCluster,
} from "../../scripts/lib/embedded-postgres";

export const TEMPLATE_DB = "cairn_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

/**
 * Starts the cluster on a port the OS hands out, not the default 54329 that `npm start` and other
 * test runs on the same host also try; retried because a port can still be taken before Postgres binds it.
 */
async function startCluster(): Promise<{ dir: string; cluster: EmbeddedCluster }> {
  for (let attempt = 1; ; attempt++) {
    const dir = await makeTempDir("cairn-vitest-");
    try {
      const cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false, fast: true, preferredPort: await freePort() });
      return { dir, cluster };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      if (attempt >= 3) throw err;
    }
  }
}

export default async function setup(project: TestProject) {
  const { dir, cluster } = await startCluster();
  await ensureDatabase(cluster.adminUrl, TEMPLATE_DB);
  await applyMigrations(cluster.urlFor(TEMPLATE_DB));
  project.provide("pgAdminUrl", cluster.adminUrl);
  project.provide("pgTemplate", TEMPLATE_DB);
  return async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
