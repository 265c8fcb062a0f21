/**
 * The `cairn` CLI as a CI job uses it: the tarball installed offline, the binary run as a process
 * against the running Cairn, checked by exit code (0 ok, 1 pipeline or gate failed, 2 usage or API
 * error), by its --json output, and by what it changed as seen through the API.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, trpc } from "../fixtures";
import { cairn, cairnOnTerminal, modelWithPolicy, packAndInstall, tenant, type Installed, type Tenant } from "./harness";

test.describe.configure({ mode: "serial" });

const exec = promisify(execFile);

const TRIPS = path.resolve("examples/github-actions/data/trips.csv");
let cli: Installed;

test.beforeAll(async () => {
  test.setTimeout(5 * 60_000);
  cli = await packAndInstall();
});

const pipelineYaml = (name: string, model: string) => `name: ${name}
params: { rounds: 40 }
steps:
  - { id: validate, uses: validate-data, with: { dataset: trips } }
  - id: train
    uses: train
    with: { trainer: gbdt, target: minutes, params: { rounds: "\${{ params.rounds }}", maxDepth: 3 } }
  - { id: evaluate, uses: evaluate }
  - { id: register, uses: register, with: { model: ${model} } }
  - { id: gate, uses: gate }
`;

test("the tarball installs offline with no runtime dependencies and answers usage mistakes with exit 2", async () => {
  const manifest = JSON.parse(await readFile(path.join(cli.prefix, "lib/node_modules/@cairn-ml/cli/package.json"), "utf8")) as Record<string, unknown>;
  expect(manifest.dependencies).toBeUndefined();
  expect(manifest.bin).toEqual({ cairn: "dist/cairn.mjs" });
  // The client's declarations type-check for a Node project (nodenext, no DOM lib) that imports the package.
  const consumer = path.join(cli.prefix, "lib");
  await writeFile(
    path.join(consumer, "consumer.mts"),
    `import { createCairnClient, CairnApiError, type PipelineRun } from "@cairn-ml/cli";
const cairn = createCairnClient({ url: "http://localhost:1", token: "t" });
const run: PipelineRun = (await cairn.pipelines.start("acme/eta", "nightly", { params: { rounds: 3 } })).run;
const handle = await cairn.startRun({ projectId: await cairn.projectId("acme/eta") });
handle.log({ loss: 0.5 }, 0);
export const seen: [string, boolean] = [run.status, new CairnApiError(400, "BAD_REQUEST", "x") instanceof Error];
`,
  );
  const compilerOptions = { module: "nodenext", moduleResolution: "nodenext", target: "ES2022", lib: ["ES2022"], strict: true, noEmit: true, types: ["node"], typeRoots: [path.resolve("node_modules/@types")] };
  await writeFile(path.join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.mts"] }));
  const tsc = await exec(process.execPath, [path.resolve("node_modules/typescript/bin/tsc"), "-p", consumer]).then(
    () => "",
    (err: { stdout?: string }) => err.stdout ?? "tsc failed",
  );
  expect(tsc).toBe("");

  const home = await mkdtemp(path.join(os.tmpdir(), "cairn-home-"));
  expect(await cairn(cli, ["--version"], { HOME: home })).toMatchObject({ code: 0, stdout: "0.1.0\n" });
  const unknown = await cairn(cli, ["deploy-everything"], { HOME: home });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("unknown command 'deploy-everything'");
  const missing = await cairn(cli, ["models", "promote", "eta"], { HOME: home });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("missing required argument 'version'");
  const notLoggedIn = await cairn(cli, ["whoami"], { HOME: home });
  expect(notLoggedIn).toMatchObject({ code: 2, stdout: "" });
  expect(notLoggedIn.stderr).toContain("Not logged in");
});

test("login stores the token (mode 0600) only after the server accepted it; a bad token is exit 2 with the API's message", async ({ page, baseURL }) => {
  const t = await tenant(page, "cli-login");
  const home = await mkdtemp(path.join(os.tmpdir(), "cairn-home-"));
  const config = path.join(home, ".config/cairn/config.json");

  const refused = await cairn(cli, ["login", "--url", baseURL!, "--token", "cairn_not-a-real-token"], { HOME: home });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("The API token is unknown, revoked or expired (UNAUTHORIZED, HTTP 401)");
  await expect(stat(config)).rejects.toThrow(/ENOENT/);

  const login = await cairn(cli, ["login", "--url", `${baseURL}/`, "--token", t.member, "--project", t.ref], { HOME: home });
  expect(login.code, login.stderr).toBe(0);
  expect(login.stdout).toContain(`Logged in to ${baseURL} as token cli-member (${t.member.slice(0, 12)}…), MEMBER in project ${t.project.id}`);
  expect((await stat(config)).mode & 0o777).toBe(0o600);
  expect(JSON.parse(await readFile(config, "utf8"))).toEqual({ url: baseURL, token: t.member, project: t.ref });

  const whoami = await cairn(cli, ["whoami", "--json"], { HOME: home });
  expect(whoami.code).toBe(0);
  expect(JSON.parse(whoami.stdout)).toMatchObject({ url: baseURL, project: t.ref, whoami: { kind: "token", role: "MEMBER", projectId: t.project.id } });

  // CI's environment overrides the stored login: a wrong secret fails with the API's words.
  const envToken = await cairn(cli, ["whoami"], { HOME: home, CAIRN_TOKEN: "cairn_revoked" });
  expect(envToken.code).toBe(2);
  expect(envToken.stderr).toContain("The API token is unknown, revoked or expired");
  // A token of another organisation does not see this project: NOT_FOUND, exit 2.
  const other = await tenant(page, "cli-other");
  const foreign = await cairn(cli, ["deployments", "status", "--project", t.ref], { HOME: home, CAIRN_URL: baseURL!, CAIRN_TOKEN: other.member });
  expect(foreign.code).toBe(2);
  expect(foreign.stderr).toMatch(/not found \(NOT_FOUND, HTTP 404\)/i);
});

test("datasets upload and runs log from a shell script, checked through the API", async ({ page, baseURL }) => {
  const t = await tenant(page, "cli-runs");
  const env = { HOME: await mkdtemp(path.join(os.tmpdir(), "cairn-home-")), CAIRN_URL: baseURL!, CAIRN_TOKEN: t.member, CAIRN_PROJECT: t.ref };

  const first = await cairn(cli, ["datasets", "upload", "trips", TRIPS, "--json"], env);
  expect(first.code, first.stderr).toBe(0);
  const uploaded = JSON.parse(first.stdout) as { created: boolean; version: { number: number; rowCount: number; columns: string[]; fileName: string } };
  expect(uploaded).toMatchObject({ created: true, version: { number: 1, rowCount: 800, fileName: "trips.csv" } });
  expect(uploaded.version.columns).toEqual(["distance_km", "hour", "region", "weather", "minutes"]);
  // On a terminal the upload draws a progress bar (stderr); in a pipe (above) it does not.
  expect(first.stderr).toBe("");
  const tty = await cairnOnTerminal(cli, ["datasets", "upload", "trips-tty", TRIPS], env);
  expect(tty.code, tty.stdout).toBe(0);
  expect(tty.stdout).toContain("\r\x1b[2K[########################] 19.5 KB / 19.5 KB");
  expect(tty.stdout).toMatch(/trips-tty v1 created: 800 rows, 5 columns/);
  const again = await cairn(cli, ["datasets", "upload", "trips", TRIPS], env);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/^trips v1 unchanged: these bytes are already that version/);
  const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-data-"));
  await writeFile(path.join(dir, "more.csv"), "distance_km,hour\n1,2\n");
  const schema = await cairn(cli, ["datasets", "upload", "trips", path.join(dir, "more.csv")], env);
  expect(schema.code).toBe(2);
  expect(schema.stderr).toMatch(/column.*\(CONFLICT, HTTP 409\)/i);

  // The id printed alone is what a script keeps; the project id comes from "org/project".
  const started = await cairn(cli, ["runs", "log", "--experiment", "shell", "--name", "nightly", "--param", "lr=0.1", "--param", "optimizer=adam", "--tag", "ci=yes", "--metric", "loss=0.5"], env);
  expect(started.code, started.stderr).toBe(0);
  const runId = started.stdout.trim();
  expect(runId).toMatch(/^[a-z0-9]{20,}$/);
  const more = await cairn(cli, ["runs", "log", "--run", runId, "--metric", "loss=0.25@1", "--metric", "odd=nan@1", "--param", "epochs=2", "--status", "finished", "--json"], env);
  expect(more.code, more.stderr).toBe(0);
  expect(JSON.parse(more.stdout)).toMatchObject({ id: runId, status: "FINISHED", experiment: "shell", name: "nightly" });
  const bad = await cairn(cli, ["runs", "log", "--run", runId, "--metric", "loss=fast"], env);
  expect(bad).toMatchObject({ code: 2 });
  expect(bad.stderr).toContain('metric "loss=fast": "fast" is not a number');

  const run = await trpc<{ status: string; params: Record<string, unknown>; tags: Record<string, string>; metrics: { key: string; count: number; lastStep: number }[] }>(t.request, "query", "run.get", { projectId: t.project.id, runId });
  expect(run).toMatchObject({ status: "FINISHED", params: { lr: 0.1, optimizer: "adam", epochs: 2 }, tags: { ci: "yes" } });
  expect(run.metrics.map((m) => [m.key, m.count, m.lastStep])).toEqual([["loss", 2, 1], ["odd", 1, 1]]);
});

test.describe("pipelines", () => {
  let t: Tenant;
  let env: Record<string, string>;
  let dir: string;

  test.beforeAll(async ({ browser, baseURL }) => {
    test.setTimeout(2 * 60_000);
    const page = await browser.newPage({ baseURL });
    t = await tenant(page, "cli-pipe");
    env = { HOME: await mkdtemp(path.join(os.tmpdir(), "cairn-home-")), CAIRN_URL: baseURL!, CAIRN_TOKEN: t.member, CAIRN_PROJECT: t.ref };
    dir = await mkdtemp(path.join(os.tmpdir(), "cairn-yaml-"));
    await modelWithPolicy(t, "eta-pass", 1000);
    await modelWithPolicy(t, "eta-fail", 0.001);
    expect((await cairn(cli, ["datasets", "upload", "trips", TRIPS], env)).code).toBe(0);
  });

  test("push reports YAML problems as FILE:LINE:COL and saves a good file", async () => {
    await writeFile(path.join(dir, "broken.yaml"), "name: broken\nsteps:\n  - id: train\n    uses: teleport\n");
    const broken = await cairn(cli, ["pipeline", "push", "broken.yaml"], env, dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^broken\.yaml:\d+:\d+: .+$/m);
    expect(broken.stderr).toContain("broken.yaml: ");
    const json = await cairn(cli, ["pipeline", "push", "broken.yaml", "--json"], env, dir);
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as { error: { problems: { line: number }[] } }).error.problems[0]!.line).toBeGreaterThan(0);

    await writeFile(path.join(dir, "cairn.yaml"), pipelineYaml("cli-pass", "eta-pass"));
    const saved = await cairn(cli, ["pipeline", "push"], env, dir);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/^cli-pass: revision 1 saved/);
    await writeFile(path.join(dir, "fail.yaml"), pipelineYaml("cli-fail", "eta-fail"));
    expect((await cairn(cli, ["pipeline", "push", "fail.yaml", "--json"], env, dir)).code).toBe(0);
  });

  test("run --wait exits 0 when the gate passed and 1 when it failed, printing the gate report", async () => {
    test.setTimeout(12 * 60_000);
    const passed = await cairn(cli, ["pipeline", "run", "cli-pass", "--wait", "--timeout", "600", "--json"], env);
    expect(passed.code, passed.stderr).toBe(0);
    const outcome = JSON.parse(passed.stdout) as { run: { number: number; status: string; steps: { stepId: string; status: string }[] }; gate: { passed: boolean; versionNumber: number } };
    expect(outcome.run.status).toBe("SUCCEEDED");
    expect(outcome.run.steps.map((s) => [s.stepId, s.status])).toEqual([["validate", "SUCCEEDED"], ["train", "SUCCEEDED"], ["evaluate", "SUCCEEDED"], ["register", "SUCCEEDED"], ["gate", "SUCCEEDED"]]);
    expect(outcome.gate).toMatchObject({ passed: true, versionNumber: 1 });

    const failed = await cairn(cli, ["pipeline", "run", "cli-fail", "--wait", "--timeout", "600"], env);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/^cli-fail run #1 started$/m);
    expect(failed.stdout).toMatch(/^ {2}gate +FAILED/m);
    expect(failed.stdout).toMatch(/^cli-fail run #1: FAILED/m);
    expect(failed.stdout).toContain("gate of eta-fail v1: failed");
    expect(failed.stdout).toMatch(/^ {2}fail +thresholds/m);
    expect(failed.stderr).toContain("cairn: cli-fail run #1 FAILED");

    const status = await cairn(cli, ["pipeline", "status", "cli-fail"], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain("gate of eta-fail v1: failed");
    const passStatus = await cairn(cli, ["pipeline", "status", "cli-pass", "1", "--json"], env);
    expect(passStatus.code).toBe(0);
    expect(JSON.parse(passStatus.stdout)).toMatchObject({ run: { number: 1, status: "SUCCEEDED" }, gate: { passed: true } });
  });

  test("run without --wait starts a run once per idempotency key; a wait that times out is exit 1", async () => {
    test.setTimeout(3 * 60_000);
    // cli-fail, so that these runs register no version of eta-pass (the next test promotes its versions).
    const first = await cairn(cli, ["pipeline", "run", "cli-fail", "--param", "rounds=30", "--idempotency-key", "job-7", "--json"], env);
    expect(first.code, first.stderr).toBe(0);
    const run = JSON.parse(first.stdout) as { number: number; params: Record<string, unknown> };
    expect(run).toMatchObject({ number: 2, params: { rounds: 30 } });
    const again = await cairn(cli, ["pipeline", "run", "cli-fail", "--param", "rounds=30", "--idempotency-key", "job-7"], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^cli-fail run #2 already started with this idempotency key: (QUEUED|RUNNING|FAILED)\n$/);
    // On a terminal the wait draws its progress line (steps done, run state) before it gives up.
    const short = await cairnOnTerminal(cli, ["pipeline", "run", "cli-fail", "--param", "rounds=31", "--wait", "--timeout", "1"], env);
    expect(short.code).toBe(1);
    expect(short.stdout).toMatch(/\r\x1b\[2K\[-{24}\] 0\/5 steps {2}(QUEUED|RUNNING)/);
    expect(short.stdout).toMatch(/timed out after 1s: run #3 is still (QUEUED|RUNNING)/);
    const unknown = await cairn(cli, ["pipeline", "run", "no-such-pipeline", "--wait"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/\(NOT_FOUND, HTTP 404\)/);
    const badParam = await cairn(cli, ["pipeline", "run", "cli-pass", "--param", "colour=red"], env);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toMatch(/colour.*\(BAD_REQUEST, HTTP 400\)/);
  });

  test("models promote and rollback need an ADMIN token; deployments status lists what serves", async () => {
    test.setTimeout(10 * 60_000);
    const asMember = await cairn(cli, ["models", "promote", "eta-pass", "1"], env);
    expect(asMember.code).toBe(2);
    expect(asMember.stderr).toMatch(/\(FORBIDDEN, HTTP 403\)/);
    const admin = { ...env, CAIRN_TOKEN: t.admin };
    const promoted = await cairn(cli, ["models", "promote", "eta-pass", "1"], admin);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toBe("eta-pass: champion is now v1\n");
    const nothingBefore = await cairn(cli, ["models", "rollback", "eta-pass"], admin);
    expect(nothingBefore.code).toBe(2);
    expect(nothingBefore.stderr).toMatch(/\(PRECONDITION_FAILED, HTTP 412\)/);

    // A second run (other params) registers v2, gated against champion v1; promote it, then roll back to v1.
    const v2 = await cairn(cli, ["pipeline", "run", "cli-pass", "--param", "rounds=30", "--wait", "--timeout", "600", "--json"], env);
    expect(v2.code, v2.stderr).toBe(0);
    expect(JSON.parse(v2.stdout)).toMatchObject({ run: { number: 2, status: "SUCCEEDED" }, gate: { versionNumber: 2, passed: true } });
    expect((await cairn(cli, ["models", "promote", "eta-pass", "2", "--json"], admin)).code).toBe(0);
    const back = await cairn(cli, ["models", "rollback", "eta-pass", "--reason", "latency", "--json"], admin);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ kind: "rollback", toVersionNumber: 1 });

    const none = await cairn(cli, ["deployments", "status"], env);
    expect(none).toMatchObject({ code: 0, stdout: "no deployments\n" });
    const missing = await cairn(cli, ["deployments", "status", "eta"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\(NOT_FOUND, HTTP 404\)/);
    const deployed = await t.request.post(`/api/v1/projects/${t.project.id}/deployments`, {
      headers: { authorization: `Bearer ${t.admin}` },
      data: { name: "eta", environment: "staging", model: "eta-pass" },
    });
    expect(deployed.status(), await deployed.text()).toBe(201);
    const list = await cairn(cli, ["deployments", "status"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME +ENV +SERVING +STRATEGY +STATUS/);
    expect(list.stdout).toMatch(/^eta +staging +eta-pass v1 +direct +active/m);
    const one = await cairn(cli, ["deployments", "status", "eta", "--json"], env);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ name: "eta", modelName: "eta-pass", stableVersion: 1, candidateVersion: null, endpoint: expect.stringContaining("/eta") });
  });
});
