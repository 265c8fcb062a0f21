import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["{server,workers,scripts,app}/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    globalSetup: ["server/testing/global-setup.ts"],
    setupFiles: ["server/testing/setup-db.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database (a copy of a migrated template), so files run in parallel safely.
    fileParallelism: true,
    // Files mostly wait on Postgres or on a worker process (the crash test waits out a heartbeat),
    // so even a small machine runs two at once.
    maxWorkers: Math.max(2, os.availableParallelism()),
  },
});
