/**
 * The README's "From CI and scripts" section, run as written: every sh block in order in one bash
 * session, with the python and ts blocks saved under the file names their fences give, in an empty
 * folder outside the repository, against the running demo. A command that stops working fails here.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, trpc } from "../fixtures";
import { readmeSection, runSection } from "./readme-sections";

const SECTION = "## From CI and scripts";

/** The demo's sign-in for the README's own variables; CAIRN_EMAIL empty = the README's default (the demo owner). */
const demoEnv = (baseURL: string) => ({ CAIRN_URL: baseURL, CAIRN_PASSWORD: process.env.CAIRN_E2E_DEMO_PASSWORD!, CAIRN_EMAIL: "", CAIRN_TOKEN: "" });

test("every command of the README's 'From CI and scripts' section works as written", async ({ baseURL, playwright }) => {
  test.setTimeout(10 * 60_000);
  const blocks = await readmeSection(SECTION);
  const shell = blocks.filter((b) => b.lang === "sh");
  const files = blocks.filter((b) => b.lang !== "sh");
  expect(shell.length, "sh blocks in the section").toBeGreaterThanOrEqual(7);
  expect(files.map((b) => b.file).sort(), "every non-shell block names the file it is saved as").toEqual(["cairn-ci.mts", "track.py"]);

  // After the README's blocks, the test keeps the token they made, to look at what they changed.
  const { stdout: out, dir } = await runSection({ blocks, epilogue: `printf '%s' "$CAIRN_TOKEN" > .token`, env: demoEnv(baseURL!), timeoutMs: 9 * 60_000 });
  expect(out.match(/^::block \d+$/gm)).toHaveLength(shell.length);

  // The token made through the API is a project-scoped MEMBER token.
  const whoami = JSON.parse(/^\{"kind".*$/m.exec(out)![0]) as { kind: string; role: string; projectId: string };
  expect(whoami).toMatchObject({ kind: "token", role: "MEMBER" });
  expect(out).toMatch(/^\{"created":true,"number":1\}$/m);
  // A schema change is refused, then accepted on purpose and recorded on the version.
  expect(out).toMatch(/^409$/m);
  expect(out).toMatch(/^\{"number":2,"schemaChange":\{"fromNumber":1,"added":\["promo"\],"removed":\[\]\}\}$/m);
  // The invitation answers with its one-time link.
  expect(out).toMatch(/^https?:\/\/\S+\/invite\/[A-Za-z0-9_-]{20,}$/m);
  expect(out).toMatch(/^\{"name":"gpu-box-1","prefix":"cairn_\S+"\}$/m);
  expect(out).toContain("trips v1: profile READY, validation NO_CONTRACT");
  // The stored encoding spec of the trained model: region is categorical with its vocabulary.
  const encoding = JSON.parse(/^\{"version":.*$/m.exec(out)![0]) as { version: number; target: string; region: { kind: string; categories: string[] } };
  expect(encoding).toMatchObject({ version: 1, target: "minutes", region: { kind: "categorical" } });
  expect(encoding.region.categories.length).toBeGreaterThan(1);
  // The trained model's headline metrics, then the evaluation on the validation split was queued.
  const metrics = JSON.parse(/^\{"rmse":.*$/m.exec(out)![0]) as { rmse: number; r2: number };
  expect(metrics.rmse).toBeGreaterThan(0);
  expect(metrics.r2).toBeGreaterThan(0.5);
  expect(out).toMatch(/^PENDING$/m);
  expect(out).toMatch(/^gbdt-\d+ \d+(\.\d+)?$/m);
  expect(out).toMatch(/^\{"status":"FINISHED","metrics":\[\{"key":"loss","count":100\}\]\}$/m);
  expect(out).toMatch(/^FINISHED loss:10$/m);

  // What the commands did is visible through the API with the token they made, not only in what they printed.
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${(await readFile(path.join(dir, ".token"), "utf8")).trim()}` } });
  const listed = await trpc<{ runs: { experiment: string; status: string; metrics: { key: string }[] }[] }>(api, "query", "run.list", {
    projectId: whoami.projectId,
    filter: 'experiment = "ci"',
  });
  expect(listed.runs[0]).toMatchObject({ experiment: "ci", status: "FINISHED" });
  expect(listed.runs[0]!.metrics.map((m) => m.key)).toContain("test/rmse");
  await api.dispose();
});
