import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DATA_DIR } from "./paths";

export interface LocalSecrets {
  nextauthSecret: string;
  demoPassword: string;
}

/** Secrets for a single-host install, generated once and kept in .data/secrets.json (mode 600). */
export async function loadLocalSecrets(): Promise<LocalSecrets> {
  const file = path.join(DATA_DIR, "secrets.json");
  const saved = await readFile(file, "utf8").then((t) => JSON.parse(t) as Partial<LocalSecrets>).catch(() => ({}) as Partial<LocalSecrets>);
  const secrets: LocalSecrets = {
    nextauthSecret: saved.nextauthSecret ?? randomBytes(32).toString("base64url"),
    demoPassword: saved.demoPassword ?? `demo-${randomBytes(6).toString("base64url")}`,
  };
  if (saved.nextauthSecret !== secrets.nextauthSecret || saved.demoPassword !== secrets.demoPassword) {
    await mkdir(DATA_DIR, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
