/**
 * The README's walkthroughs, run as written (./readme-sections.ts): "From CI and scripts" and "From
 * CI: register → gate → approve → promote", each in its own bash session, with the python and ts
 * blocks saved under the file names their fences give, in an empty folder outside the repository,
 * against the running demo. A command that stops working fails here.
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

const REGISTRY_SECTION = "## From CI: register → gate → approve → promote";

interface GateReport {
  status: string;
  passed: boolean | null;
  report: { checks: { name: string; status: string; evidence: { metrics?: { metric: string; upper: number; significant: boolean }[] } | null }[] } | null;
}

test("every command of the README's 'From CI: register → gate → approve → promote' section works as written", async ({ baseURL, playwright }) => {
  test.setTimeout(10 * 60_000);
  const blocks = await readmeSection(REGISTRY_SECTION);
  const shell = blocks.filter((b) => b.lang === "sh");
  expect(shell.length, "sh blocks in the section").toBeGreaterThanOrEqual(6);
  expect(blocks.filter((b) => b.lang !== "sh").map((b) => b.file)).toEqual(["gate_check.py"]);
  // As the section says: the first two blocks of "From CI and scripts" first (the q/m helpers, the owner's session, the CI token).
  const prelude = (await readmeSection(SECTION)).filter((b) => b.lang === "sh").slice(0, 2);
  const { stdout: out, dir } = await runSection({ blocks, prelude, epilogue: `printf '%s\\n%s\\n%s\\n' "$MODEL_URL" "$CAIRN_TOKEN" "$CAIRN_PROJECT_ID" > .model`, env: demoEnv(baseURL!), timeoutMs: 9 * 60_000 });
  expect(out.match(/^::block \d+$/gm)).toHaveLength(shell.length);
  const [modelUrl, token, projectId] = (await readFile(path.join(dir, ".model"), "utf8")).trim().split("\n");
  const model = modelUrl!.slice(modelUrl!.lastIndexOf("/") + 1);

  expect(out).toMatch(/^\{"reviewer":"token","role":"ADMIN"\}$/m);
  expect(out).toMatch(/^trained: FINISHED$/m);
  expect(out).toMatch(/^\{"task":"regression","versionCount":0\}$/m);
  expect(out).toMatch(/^\{"revision":1,"approvals":\{"required":1,"min_role":"ADMIN"\}\}$/m);
  // The broken policy is refused with the line of `mode:` in policy.yaml.
  expect(out).toMatch(/^line 11 \(checks\.champion\.mode\): /m);
  // v1: nothing to beat yet; approved by the reviewer, promoted by the release token.
  expect(out).toMatch(/^\{"version":1,"passed":true,"checks":\{"thresholds":"pass","champion":"pass","data_validation":"pass","signature":"pass"\}\}$/m);
  expect(out.match(/^\{"decision":"APPROVE","valid":true\}$/gm)).toHaveLength(2);
  expect(out).toMatch(/^\{"kind":"promote","champion":1\}$/m);
  // v2 (shallow) fails the job and cannot be promoted; v3 (tuned) passes.
  expect(out).toContain(`gate of ${model} v2: failed`);
  expect(out).toMatch(/^v2 blocked: gate_check exited 1$/m);
  expect(out).toMatch(/^promote v2: 412$/m);
  expect(out).toContain(`gate of ${model} v3: passed`);
  // The owner registered v3 through the CI token: their release token may not approve it.
  expect(out).toMatch(/^You registered v3: its creator cannot approve or reject it \(separation of duties\)$/m);
  expect(out).toMatch(/^\{"canPromote":true,"approvedCount":1,"blockers":\[\]\}$/m);
  expect(out).toMatch(/^\{"kind":"promote","champion":3\}$/m);
  expect(out).toMatch(/^\{"kind":"rollback","champion":1\}$/m);
  expect(out).toMatch(/^\{"champion":1,"versions":3\}$/m);

  // The stored evidence agrees with what was printed: the champion check really separated the two challengers.
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const gate = async (n: number) => (await (await api.get(`${modelUrl}/versions/${n}/gate`)).json()) as GateReport;
  const championCheck = (r: GateReport) => r.report!.checks.find((c) => c.name === "champion")!;
  const [v2, v3] = [await gate(2), await gate(3)];
  expect(v2).toMatchObject({ status: "DONE", passed: false });
  expect(championCheck(v2).status).toBe("fail");
  expect(v3).toMatchObject({ status: "DONE", passed: true });
  expect(championCheck(v3).evidence!.metrics![0]).toMatchObject({ metric: "rmse", significant: true });
  expect(championCheck(v3).evidence!.metrics![0]!.upper).toBeLessThan(-0.25);
  const status = (await (await api.get(`${modelUrl}/versions/3/promotion`)).json()) as { isChampion: boolean; approvals: { decision: string; valid: boolean; role: string; user: { email: string }; voidReason: string | null }[] };
  expect(status.isChampion).toBe(false);
  // The reviewer's decision is kept, and the rollback voided it: v3 needs new decisions to become champion again.
  const reviewerEmail = expect.stringMatching(/^reviewer-\d+@example\.com$/);
  expect(status.approvals).toEqual([expect.objectContaining({ decision: "APPROVE", valid: false, role: "ADMIN", user: expect.objectContaining({ email: reviewerEmail }), voidReason: expect.stringMatching(/rolled back/) })]);
  const { modelId } = (await (await api.get(`${modelUrl}/versions/3`)).json()) as { modelId: string };
  const history = await trpc<{ kind: string; alias: string; to: { number: number | null } | null; reason: string | null }[]>(api, "query", "model.history", { projectId, modelId, alias: "champion" });
  expect(history.map((e) => [e.kind, e.to?.number, e.reason]).sort()).toEqual([
    ["promote", 1, null],
    ["promote", 3, null],
    ["rollback", 1, "p95 latency regression in production"],
  ]);
  await api.dispose();
});

const SERVING_SECTION = "## From CI: serve, roll out, roll back";

test("every command of the README's 'From CI: serve, roll out, roll back' section works as written", async ({ baseURL, playwright }) => {
  test.setTimeout(10 * 60_000);
  const blocks = await readmeSection(SERVING_SECTION);
  const shell = blocks.filter((b) => b.lang === "sh");
  expect(shell.length, "sh blocks in the section").toBeGreaterThanOrEqual(6);
  expect(blocks.filter((b) => b.lang !== "sh").map((b) => b.file)).toEqual(["predict.py", "predict.mts"]);
  const prelude = (await readmeSection(SECTION)).filter((b) => b.lang === "sh").slice(0, 2);
  const env = { ...demoEnv(baseURL!), CAIRN_SERVE_URL: process.env.CAIRN_E2E_SERVE_URL! };
  const { stdout: out, dir } = await runSection({ blocks, prelude, epilogue: `printf '%s\\n%s\\n' "$CAIRN_TOKEN" "$CAIRN_PROJECT_ID" > .serve`, env, timeoutMs: 9 * 60_000 });
  expect(out.match(/^::block \d+$/gm)).toHaveLength(shell.length);
  const [token, projectId] = (await readFile(path.join(dir, ".serve"), "utf8")).trim().split("\n");

  // The demo's deployment: champion v1 in production, a 10 % canary of v2; the predict token is no API credential.
  expect(out).toMatch(/^\{"environment":"production","strategy":"canary","status":"rolling_out","stable":1,"candidate":2,"percent":10\}$/m);
  expect(out).toMatch(/^\{"name":"eta","ready":true\}$/m);
  expect(out).toMatch(/^predict token on \/api\/v1: 401$/m);
  // Rows and v2 tensors both answer, with the version that answered; a bad field is a 400 naming it.
  expect(out).toMatch(/^\{"id":"order-1842","model_version":"[12]","minutes":\d+\}$/m);
  expect(out).toMatch(/^x-cairn-model-version: eta-gbdt:[12]$/im);
  const inputs = JSON.parse(/^\["distance_km.*$/m.exec(out)![0]) as string[];
  expect(inputs).toEqual(expect.arrayContaining(["distance_km:FP64", "weather:BYTES", "region:BYTES", "hour:FP64"]));
  expect(inputs).toHaveLength(8);
  expect(out).toMatch(/^\{"id":"order-1843","outputs":\[\{"name":"predictions","shape":\[1\]\}\]\}$/m);
  expect(out).toMatch(/^\{"error":"instances\[0\]\.distance_km: \\"far\\" is not a number"\} 400$/m);
  expect(out).toMatch(/^python: \d+\.\d min from eta-gbdt:[12]$/m);
  expect(out).toMatch(/^typescript: \d+\.\d min from eta-gbdt:[12]$/m);
  // Ground truth joined to the logged prediction by request id.
  expect(out).toMatch(/^\{"stored":1,"unchanged":0\}$/m);
  expect(out).toMatch(/^\[\{"requestId":"order-1842","labels":\[27\]\}\]$/m);
  // The health series saw the section's four answered requests (the 400 is the caller's, not counted) and no server error.
  const health = JSON.parse(/^\{"versions":.*$/m.exec(out)![0]) as { versions: string[]; requests: number; errors: number };
  expect(health.versions).toEqual(expect.arrayContaining(["v1 stable", "v2 candidate"]));
  expect(health).toMatchObject({ requests: 4, errors: 0 });
  // Pause, resume, advance (10 → 50 %), promote (v2 stable), rollback (v1 again), and the ledger that recorded them.
  expect(out).toMatch(/^\{"strategy":"canary","status":"paused","stable":1,"candidate":2,"percent":10\}$/m);
  expect(out).toMatch(/^\{"strategy":"canary","status":"rolling_out","stable":1,"candidate":2,"percent":10\}$/m);
  expect(out).toMatch(/^\{"strategy":"canary","status":"rolling_out","stable":1,"candidate":2,"percent":50\}$/m);
  expect(out).toMatch(/^\{"strategy":"direct","status":"active","stable":2,"candidate":null,"percent":0\}$/m);
  expect(out).toMatch(/^\{"strategy":"direct","status":"rolled_back","stable":1,"candidate":null,"percent":0\}$/m);
  // Batch inference: all 12,000 seeded deliveries scored by v1 into a derived version whose lineage names both.
  expect(out).toMatch(/^\{"status":"DONE","rowsScored":12000,"outputDataset":"deliveries-scored"\}$/m);
  expect(out).toMatch(/^\{"number":1,"parents":\["deliveries v1"\],"transform":"eta-gbdt:1","last":"prediction"\}$/m);
  // Shadow: v2 scored the mirrored requests, compared per weather value; A/B: 20 labelled requests, too few for a verdict.
  expect(out).toMatch(/^\{"compared":true,"agreementRule":"[^"]+","agreementRate":"number","segments":\["rain"\]\}$/m);
  expect(out).toMatch(/^\{"strategy":"shadow","status":"rolling_out","stable":1,"candidate":2,"percent":0\}$/m);
  expect(out).toMatch(/^\{"strategy":"ab","status":"rolling_out","stable":1,"candidate":2,"percent":50\}$/m);
  expect(out).toMatch(/^\{"metric":"mae","verdict":"insufficient","method":"asymptotic confidence"\}$/m);
  expect(out).toMatch(/^\{"valid":true,"kinds":\["create","candidate","pause","resume","step","promote","rollback","candidate","abort","candidate","abort"\],"last":\{"actor":"token","reason":"A\/B needs more traffic than a README"\}\}$/m);

  // What serves now, read back through tRPC with the CI token: v1 alone, and the log holds the labelled request.
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const [deployment] = await trpc<{ name: string; stableVersion: number; candidateVersionId: string | null }[]>(api, "query", "deployment.list", { projectId });
  expect(deployment).toMatchObject({ name: "eta", stableVersion: 1, candidateVersionId: null });
  await api.dispose();
});
