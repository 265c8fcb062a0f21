/**
 * The README's "MLflow-compatible API" section run as written (./readme-sections.ts) against the
 * running app (Next serving /api/2.0 beside its /api catch-all): its sh blocks after the first two of
 * "From CI and scripts", its python block saved (not run: no PyPI here) and checked to compile.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "../fixtures";
import { readmeSection, runSection } from "./readme-sections";

const SECTION = "## MLflow-compatible API";

test("every command of the README's 'MLflow-compatible API' section works as written", async ({ baseURL, playwright }) => {
  test.setTimeout(5 * 60_000);
  const blocks = await readmeSection(SECTION);
  const shell = blocks.filter((b) => b.lang === "sh");
  expect(shell.length, "sh blocks in the section").toBe(3);
  expect(blocks.filter((b) => b.lang !== "sh").map((b) => b.file)).toEqual(["mlflow_train.py"]);
  expect(shell.some((b) => b.body.includes("mlflow_train.py")), "no sh block runs the python example").toBe(false);

  const prelude = (await readmeSection("## From CI and scripts")).filter((b) => b.lang === "sh").slice(0, 2);
  const env = { CAIRN_URL: baseURL!, CAIRN_PASSWORD: process.env.CAIRN_E2E_DEMO_PASSWORD!, CAIRN_EMAIL: "", CAIRN_TOKEN: "" };
  const { stdout: out, dir } = await runSection({ blocks, prelude, env, timeoutMs: 4 * 60_000 });
  expect(out.match(/^::block \d+$/gm)).toHaveLength(shell.length);

  // Both batches and the upload answered MLflow's empty success; the retried batch stored its points once; the changed param was refused in MLflow's error shape.
  expect(out.match(/^\{\}$/gm)).toHaveLength(3);
  expect(out).toMatch(/^\[\{"step":1,"value":0\.61\},\{"step":2,"value":0\.42\}\]$/m);
  expect(out).toMatch(/^\{"error_code":"INVALID_PARAMETER_VALUE"\}$/m);
  expect(out).toMatch(/^\[\{"path":"curves\/loss\.csv","file_size":23\}\]$/m);
  expect(out).toMatch(/^FINISHED$/m);
  expect(out).toMatch(/^from-curl FINISHED true$/m);
  // Cairn's own runs list has the run with MLflow's params and metrics.
  expect(out).toMatch(/^\{"name":"from-curl","status":"FINISHED","params":\{"depth":"6"\},"rmse":\{"count":2,"last":0\.42\}\}$/m);

  // The python example is at least valid Python (mlflow itself cannot be installed here).
  await promisify(execFile)("python3", ["-m", "py_compile", path.join(dir, "mlflow_train.py")]);

  // Anonymous and unknown endpoints answer in MLflow's shape through the real app, not its /api catch-all.
  const anon = await playwright.request.newContext({ baseURL });
  const unauth = await anon.get("/api/2.0/mlflow/runs/get?run_id=x");
  expect(unauth.status()).toBe(401);
  expect(await unauth.json()).toMatchObject({ error_code: "UNAUTHENTICATED" });
  const artifacts = await anon.put("/api/2.0/mlflow-artifacts/artifacts/a/b/artifacts/x.txt", { data: "x" });
  expect(artifacts.status()).toBe(401);
  const elsewhere = await anon.get("/api/2.1/mlflow/runs/get");
  expect(elsewhere.status()).toBe(404);
  expect(await elsewhere.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  await anon.dispose();
});
