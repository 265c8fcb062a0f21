/** The Python and TypeScript tracking clients against the running server, over real HTTP. */
import type { Page } from "@playwright/test";
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createCairnClient } from "../../server/clients/tracking";
import { expect, test, trpc, signUpViaApi, signInViaApi } from "../fixtures";

const run = promisify(execFile);

async function projectWithToken(page: Page, label: string) {
  const account = await signUpViaApi(page.context().request, label);
  await signInViaApi(page, account.email);
  const request = page.context().request;
  const org = await trpc<{ id: string; slug: string }>(request, "query", "org.get", { orgSlug: account.orgSlug });
  const project = await trpc<{ id: string; slug: string }>(request, "mutation", "project.create", { orgId: org.id, name: "Tracking" });
  const token = await trpc<{ secret: string }>(request, "mutation", "token.create", { orgId: org.id, name: "trainer", role: "MEMBER", projectId: project.id });
  return { request, org, project, secret: token.secret };
}

test("the Python module logs params, metrics with NaN, an artifact, and finishes", async ({ page, baseURL }) => {
  const { request, org, project, secret } = await projectWithToken(page, "py");
  const served = await request.get("/clients/cairn_tracking.py");
  expect(served.status()).toBe(200);
  expect(await served.text()).toContain("def start_run(");

  const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-py-"));
  await writeFile(path.join(dir, "report.json"), JSON.stringify({ rmse: 3.2 }));
  const script = `
import math, cairn_tracking as cairn
with cairn.start_run(experiment="py-client", name="from-python", params={"model": "gbdt", "optimizer": {"lr": 0.1}}, tags={"source": "e2e", "scratch": "1"}) as run:
    run.set_tags({"stage": "dev"}, remove=["scratch"])
    for step in range(2500):
        run.log_metrics({"loss": 1.0 / (step + 1), "odd": float("nan") if step == 7 else step}, step=step)
    run.log_artifact("report.json", "eval/report.json")
    print(run.id)
`;
  const { stdout } = await run("python3", ["-c", script], {
    cwd: dir,
    env: { ...process.env, PYTHONPATH: path.resolve("public/clients"), CAIRN_API_URL: baseURL!, CAIRN_TOKEN: secret, CAIRN_PROJECT: `${org.slug}/${project.slug}` },
  });
  const runId = stdout.trim();
  const got = await trpc<{ status: string; params: Record<string, unknown>; tags: Record<string, string>; metrics: { key: string; count: number; lastStep: number }[]; artifacts: { path: string }[]; environment: { python: string } }>(
    request, "query", "run.get", { projectId: project.id, runId },
  );
  expect(got.status).toBe("FINISHED");
  expect(got.params).toMatchObject({ model: "gbdt", "optimizer.lr": 0.1 });
  expect(got.tags).toEqual({ source: "e2e", stage: "dev" });
  expect(got.environment.python).toMatch(/^3\./);
  expect(got.metrics.map((m) => [m.key, m.count, m.lastStep])).toEqual([["loss", 2500, 2499], ["odd", 2500, 2499]]);
  expect(got.artifacts.map((a) => a.path)).toEqual(["eval/report.json"]);
  const artifact = await request.get(`/api/v1/projects/${project.id}/runs/${runId}/artifacts/eval/report.json`);
  expect(await artifact.json()).toEqual({ rmse: 3.2 });
  // NaN arrived as NaN: superjson marks it in the response's meta.
  const raw = await request.get(`/api/trpc/run.compare?input=${encodeURIComponent(JSON.stringify({ json: { projectId: project.id, runIds: [runId], keys: ["odd"], points: 5000 } }))}`);
  expect(JSON.stringify(await raw.json())).toContain('"number"');
});

test("the TypeScript client starts a run, logs in batches and uploads a dataset version", async ({ page, baseURL }) => {
  const { request, project, secret } = await projectWithToken(page, "ts");
  const cairn = createCairnClient({ url: baseURL!, token: secret });
  const handle = await cairn.startRun({ projectId: project.id, experiment: "ts-client", params: { depth: 4 } });
  for (let step = 0; step < 25_000; step++) handle.log({ rmse: 10 / (step + 1) }, step);
  await handle.uploadArtifact("notes.txt", "hello", "text/plain");
  const finished = await handle.finish();
  expect(finished.status).toBe("FINISHED");
  expect(finished.metrics[0]).toMatchObject({ key: "rmse", count: 25_000, lastStep: 24_999 });
  const upload = (await cairn.uploadDatasetVersion(project.id, "from-ts", "a,b\n1,2\n3,4\n", { fileName: "ab.csv" })) as { created: boolean; version: { rowCount: number } };
  expect(upload).toMatchObject({ created: true, version: { rowCount: 2 } });
  const list = await trpc<{ runs: { id: string }[] }>(request, "query", "run.list", { projectId: project.id, filter: "params.depth = 4" });
  expect(list.runs.map((r) => r.id)).toEqual([handle.id]);
});
