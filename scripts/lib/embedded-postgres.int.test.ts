import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-postgres";

describe("embedded PostgreSQL", () => {
  it("starts from a data folder below a folder only its owner may enter (a clone in root's home)", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "cairn-home-"));
    try {
      await chmod(home, 0o700);
      const cluster = await startEmbeddedPostgres({ dataDir: path.join(home, "cairn", ".data", "postgres"), persistent: false, fast: true });
      await cluster.stop();
      // As root, PostgreSQL runs as the postgres user: the folder now lets others cross, but not list.
      expect((await stat(home)).mode & 0o777).toBe(os.userInfo().uid === 0 ? 0o701 : 0o700);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 60_000);
});
