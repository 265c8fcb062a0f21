/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import { applyMigrations } from "./engine";
import { withDatabase } from "../lib/database";

await withDatabase(async (url) => {
  const applied = await applyMigrations(url);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.");
});
