/**
 * examples/github-actions/cairn.yml as GitHub would run it: the `run:` commands of its steps, in
 * order, each in `bash -eo pipefail` (GitHub's default shell) with the job's env, in a copy of the
 * example repository (cairn.yaml, data/, and the CLI tarball under vendor/), with the secrets and
 * variables a repository would hold. `uses:` steps (checkout, setup-node) are GitHub's own.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { expect, test } from "../fixtures";
import { modelWithPolicy, packAndInstall, tenant } from "./harness";

const exec = promisify(execFile);
const EXAMPLE = path.resolve("examples/github-actions");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

/** Replaces `${{ … }}` expressions from `context`; an expression the test does not know fails it. */
function expand(text: string, context: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in context)) throw new Error(`The workflow uses \${{ ${name} }}, which this test does not provide`);
    return context[name]!;
  });
}

test("every run: step of the GitHub Actions example works against a running Cairn", async ({ page, baseURL }) => {
  test.setTimeout(15 * 60_000);
  const t = await tenant(page, "cli-gha");
  // What the workflow's comment asks an ADMIN to do once: the model's gate policy (no approvals here).
  await modelWithPolicy(t, "eta-gbdt", 1000);

  const workflow = parse(await readFile(path.join(EXAMPLE, "cairn.yml"), "utf8")) as Workflow;
  const job = workflow.jobs.retrain!;
  expect(job.steps.filter((s) => s.uses).map((s) => s.uses)).toEqual(["actions/checkout@v4", "actions/setup-node@v4"]);
  const runs = job.steps.filter((s) => s.run);
  expect(runs.map((s) => s.run!.split(" ").slice(0, 3).join(" "))).toEqual([
    "npm install -g",
    "cairn whoami",
    "cairn datasets upload",
    "cairn pipeline push",
    "cairn pipeline run",
  ]);

  // The checked-out repository: the example's files, and the tarball `npm run cli:pack` makes, under vendor/.
  const cli = await packAndInstall();
  const repo = await mkdtemp(path.join(os.tmpdir(), "cairn-gha-"));
  await cp(EXAMPLE, repo, { recursive: true });
  await mkdir(path.join(repo, "vendor"));
  await cp(cli.tarball, path.join(repo, "vendor", path.basename(cli.tarball)));
  const prefix = path.join(repo, ".npm-global");

  const context = {
    "vars.CAIRN_URL": baseURL!,
    "secrets.CAIRN_TOKEN": t.member,
    "vars.CAIRN_PROJECT": t.ref,
    "github.run_id": "4242",
    "github.run_attempt": "1",
  };
  const jobEnv = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, expand(String(v), context)]));
  let log = "";
  for (const step of runs) {
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), context)]));
    const script = expand(step.run!, context);
    const result = await exec("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd: repo,
      timeout: 12 * 60_000,
      env: {
        // The runner's PATH with npm's global bin first (setup-node does the same); npm -g goes to a
        // folder of this test, and the registry is out of reach: the tarball must install offline.
        PATH: `${path.join(prefix, "bin")}:${process.env.PATH}`,
        NODE_ENV: "production",
        HOME: repo,
        npm_config_prefix: prefix,
        npm_config_offline: "true",
        npm_config_registry: "http://127.0.0.1:9/",
        ...jobEnv,
        ...stepEnv,
      },
    }).catch((err: { stdout?: string; stderr?: string; code?: number }) => {
      throw new Error(`step "${step.name}" exited ${err.code}\n--- stdout ---\n${err.stdout}\n--- stderr ---\n${err.stderr}`);
    });
    log += `::step ${step.name}\n${result.stdout}`;
  }

  expect(log).toContain(`token cli-member (${t.member.slice(0, 12)}…), MEMBER in project ${t.project.id} on ${baseURL}`);
  expect(log).toMatch(/^trips v1 created: 800 rows, 5 columns/m);
  expect(log).toMatch(/^eta-retrain: revision 1 saved/m);
  expect(log).toMatch(/^eta-retrain run #1 started$/m);
  expect(log).toMatch(/^ {2}gate +SUCCEEDED/m);
  expect(log).toMatch(/^eta-retrain run #1: SUCCEEDED/m);
  expect(log).toContain("gate of eta-gbdt v1: passed");

  // The run the job waited for, read back through the API: started once, by the key the job gave.
  const runsRes = await t.request.get(`/api/v1/projects/${t.project.id}/pipelines/eta-retrain/runs`, { headers: { authorization: `Bearer ${t.member}` } });
  const listed = (await runsRes.json()) as { number: number; status: string; params: Record<string, unknown> }[];
  expect(listed.map((r) => [r.number, r.status])).toEqual([[1, "SUCCEEDED"]]);
  expect(listed[0]!.params).toEqual({ rounds: 60 });
  const version = await t.request.get(`/api/v1/projects/${t.project.id}/models/eta-gbdt/versions/1`, { headers: { authorization: `Bearer ${t.member}` } });
  expect(version.status()).toBe(200);
});
