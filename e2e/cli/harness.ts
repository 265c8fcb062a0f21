/**
 * The installed `cairn` binary as CI runs it: the package is built, packed with `npm pack` and
 * installed OFFLINE from the tarball into a throw-away prefix, then run as a real process with only
 * the environment a CI job would give it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { APIRequestContext, Page } from "@playwright/test";
import { signInViaApi, signUpViaApi, trpc } from "../fixtures";

const exec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Installed {
  tarball: string;
  prefix: string;
  bin: string;
}

/**
 * Builds packages/cli into a staging folder of its own (specs in parallel never share a dist/),
 * packs it, then installs the tarball with the registry out of reach.
 */
export async function packAndInstall(): Promise<Installed> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-cli-"));
  const staged = path.join(dir, "package");
  await exec(process.execPath, [path.join(ROOT, "packages/cli/build.mjs"), staged], { cwd: ROOT });
  await exec("npm", ["pack", staged, "--pack-destination", dir], { cwd: ROOT });
  const tarball = path.join(dir, (await readdir(dir)).find((f) => f.endsWith(".tgz"))!);
  const prefix = path.join(dir, "prefix");
  // --offline plus an unreachable registry: a runtime dependency would make this fail.
  await exec("npm", ["install", "-g", "--offline", "--no-audit", "--no-fund", "--prefix", prefix, tarball], {
    cwd: dir,
    env: { ...process.env, npm_config_registry: "http://127.0.0.1:9/" },
  });
  return { tarball, prefix, bin: path.join(prefix, "bin", "cairn") };
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the installed binary with exactly `env` (plus PATH), as a CI step would. */
export async function cairn(installed: Installed, args: string[], env: Record<string, string>, cwd?: string): Promise<Result> {
  try {
    const { stdout, stderr } = await exec(installed.bin, args, { cwd, env: { NODE_ENV: "production", PATH: process.env.PATH!, ...env }, timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export interface Tenant {
  request: APIRequestContext;
  org: { id: string; slug: string };
  project: { id: string; slug: string };
  /** "org-slug/project-slug", as CAIRN_PROJECT takes it. */
  ref: string;
  member: string;
  admin: string;
}

/** A fresh organisation and project with a MEMBER (CI) token and an ADMIN (release) token. */
export async function tenant(page: Page, label: string): Promise<Tenant> {
  const request = page.context().request;
  const account = await signUpViaApi(request, label);
  await signInViaApi(page, account.email);
  const org = await trpc<{ id: string; slug: string }>(request, "query", "org.get", { orgSlug: account.orgSlug });
  const project = await trpc<{ id: string; slug: string }>(request, "mutation", "project.create", { orgId: org.id, name: `CLI ${label}` });
  const token = async (role: string) => (await trpc<{ secret: string }>(request, "mutation", "token.create", { orgId: org.id, projectId: project.id, name: `cli-${role.toLowerCase()}`, role })).secret;
  return { request, org, project, ref: `${org.slug}/${project.slug}`, member: await token("MEMBER"), admin: await token("ADMIN") };
}

/** A model with a saved gate policy (no approvals) whose thresholds pass or fail any sane model. */
export async function modelWithPolicy(t: Tenant, name: string, rmseMax: number) {
  const base = `/api/v1/projects/${t.project.id}/models`;
  const headers = (token: string) => ({ authorization: `Bearer ${token}` });
  const created = await t.request.post(base, { headers: headers(t.member), data: { name, task: "regression" } });
  if (created.status() !== 201) throw new Error(`creating ${name}: ${created.status()} ${await created.text()}`);
  const policy = `approvals:\n  required: 0\nchecks:\n  thresholds:\n    - metric: rmse\n      max: ${rmseMax}\n`;
  const saved = await t.request.put(`${base}/${name}/policy`, { headers: { ...headers(t.admin), "content-type": "text/plain" }, data: policy });
  if (!saved.ok()) throw new Error(`policy of ${name}: ${saved.status()} ${await saved.text()}`);
}

/** Runs the binary on a pseudo-terminal (util-linux `script`), where progress is drawn; output is both streams. */
export async function cairnOnTerminal(installed: Installed, args: string[], env: Record<string, string>): Promise<Result> {
  const quoted = [installed.bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  return exec("script", ["-qec", quoted, "/dev/null"], { env: { NODE_ENV: "production", PATH: process.env.PATH!, ...env }, timeout: 5 * 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" }),
  );
}
