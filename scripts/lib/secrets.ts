import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DATA_DIR } from "./paths";

export interface LocalSecrets {
  nextauthSecret: string;
  demoPassword: string;
  /** CAIRN_SECRET_KEY: encrypts alert channel secrets; losing it makes stored channel secrets unreadable. */
  secretKey: string;
}

/**
 * The data folder (secrets, Postgres files, artifacts) is the server user's alone: 0700, or 0711 when
 * root runs embedded PostgreSQL as the `postgres` user, who must cross it to reach its own (0700)
 * folder; nobody else may list it. Files with credentials are 0600. Applied at every start, so a
 * folder created with looser modes by an older version is tightened too.
 */
export async function secureDataDir(dir = DATA_DIR): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, os.userInfo().uid === 0 ? 0o711 : 0o700);
  for (const file of ["secrets.json", "postgres.json"]) {
    if (existsSync(path.join(dir, file))) await chmod(path.join(dir, file), 0o600);
  }
  if (!process.env.CAIRN_ARTIFACTS_DIR) {
    await mkdir(path.join(dir, "artifacts"), { recursive: true });
    await chmod(path.join(dir, "artifacts"), 0o700);
  }
}

/** Secrets for a single-host install, generated once and kept in .data/secrets.json (mode 600). */
export async function loadLocalSecrets(): Promise<LocalSecrets> {
  const file = path.join(DATA_DIR, "secrets.json");
  const saved = await readFile(file, "utf8").then((t) => JSON.parse(t) as Partial<LocalSecrets>).catch(() => ({}) as Partial<LocalSecrets>);
  const secrets: LocalSecrets = {
    nextauthSecret: saved.nextauthSecret ?? randomBytes(32).toString("base64url"),
    demoPassword: saved.demoPassword ?? `demo-${randomBytes(6).toString("base64url")}`,
    secretKey: saved.secretKey ?? randomBytes(32).toString("base64url"),
  };
  if (saved.nextauthSecret !== secrets.nextauthSecret || saved.demoPassword !== secrets.demoPassword || saved.secretKey !== secrets.secretKey) {
    await secureDataDir();
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  await secureDataDir();
  return secrets;
}
