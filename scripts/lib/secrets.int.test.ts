import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DATA_DIR } from "./paths";
import { loadLocalSecrets, secureDataDir } from "./secrets";

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe("the data folder", () => {
  it("is the server user's alone: secrets and credentials 0600, artifacts 0700, the folder not listable by others", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-secrets-"));
    try {
      // As an older version left it: world-readable.
      await writeFile(path.join(dir, "secrets.json"), "{}", { mode: 0o644 });
      await writeFile(path.join(dir, "postgres.json"), "{}", { mode: 0o644 });
      await secureDataDir(dir);
      expect(await mode(path.join(dir, "secrets.json"))).toBe(0o600);
      expect(await mode(path.join(dir, "postgres.json"))).toBe(0o600);
      expect(await mode(path.join(dir, "artifacts"))).toBe(0o700);
      // Root keeps only "traverse" for the postgres user, who owns the Postgres folder inside.
      expect(await mode(dir)).toBe(os.userInfo().uid === 0 ? 0o711 : 0o700);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("generated secrets", () => {
  it("an older secrets.json gains an alert encryption key (CAIRN_SECRET_KEY) once; the existing secrets stay", async () => {
    const file = path.join(DATA_DIR, "secrets.json");
    await writeFile(file, JSON.stringify({ nextauthSecret: "kept-session-secret-0123456789", demoPassword: "demo-kept" }), { mode: 0o600 });
    const first = await loadLocalSecrets();
    expect(first).toMatchObject({ nextauthSecret: "kept-session-secret-0123456789", demoPassword: "demo-kept" });
    expect(first.secretKey).toMatch(/^[\w-]{43}$/);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ secretKey: first.secretKey });
    expect((await loadLocalSecrets()).secretKey).toBe(first.secretKey);
  });
});
