import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate; `migrate deploy` on hosts that can download the native
// engine). Cairn itself migrates with the WebAssembly engine: scripts/db/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
