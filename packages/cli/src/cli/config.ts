/**
 * Where the CLI finds its server, token and project: CAIRN_URL / CAIRN_TOKEN / CAIRN_PROJECT (CI
 * sets these as secrets, no login needed), else what `cairn login` stored in
 * ~/.config/cairn/config.json (readable by its owner only: it holds a token).
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { UsageError } from "./errors.js";

export interface StoredConfig {
  url?: string;
  token?: string;
  project?: string;
}

export interface Settings {
  url: string;
  token: string;
  project?: string;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CAIRN_CONFIG) return env.CAIRN_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(base, "cairn", "config.json");
}

export async function readConfig(file = configPath()): Promise<StoredConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== "object") throw new Error("not an object");
    const { url, token, project } = parsed as Record<string, unknown>;
    return { url: str(url), token: str(token), project: str(project) };
  } catch {
    throw new UsageError(`${file} is not valid JSON: run cairn login again`);
  }
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** Writes the config with mode 0600 (and 0700 for its folder); an existing file is narrowed to 0600 too. */
export async function writeConfig(config: StoredConfig, file = configPath()): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** The settings a command runs with: environment first, then the stored config, then `--project`. */
export async function settings(opts: { project?: string } = {}, env: NodeJS.ProcessEnv = process.env): Promise<Settings> {
  const stored = await readConfig(configPath(env));
  const url = str(env.CAIRN_URL) ?? stored.url;
  const token = str(env.CAIRN_TOKEN) ?? stored.token;
  if (!url || !token) throw new UsageError("Not logged in: run `cairn login --url URL --token TOKEN`, or set CAIRN_URL and CAIRN_TOKEN");
  return { url, token, project: opts.project ?? str(env.CAIRN_PROJECT) ?? stored.project };
}
