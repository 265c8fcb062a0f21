/**
 * Resolves the database a script should use: DATABASE_URL when set, otherwise the embedded
 * cluster under .data/postgres (started for the script's duration).
 */
import path from "node:path";
import { DATA_DIR } from "./paths";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded-postgres";

export const EMBEDDED_DB_NAME = "cairn";

export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, "postgres"), persistent: true });
  try {
    await ensureDatabase(cluster.adminUrl, EMBEDDED_DB_NAME);
    return await fn(cluster.urlFor(EMBEDDED_DB_NAME));
  } finally {
    await cluster.stop();
  }
}
