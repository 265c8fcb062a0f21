/**
 * The README's "Monitoring" and "Alerts" sections run as written (./readme-sections.ts), in one shell,
 * after the first two blocks of "From CI and scripts": a staging deployment of the demo's champion and
 * its monitor, settings, drifted traffic with labels, "run now" and the reports, the same rows uploaded as
 * a dataset version and judged as a batch window; SMTP, Slack and webhook
 * channels pointed at real receivers this test runs (an SMTP server with a login, HTTP servers recording
 * what they get), a refused and two created rules, a training-spec rule (refused, then saved with its
 * generated pipeline), the incidents, their deliveries, an acknowledgement, the chain to the retraining
 * run, that run's deploy entry with its provenance in the ledger of the deployment it created
 * (`eta-staging-retrained`, kept, like the model and the dataset `eta-nightly`), then the drift's resolution. The README's signature checks (Python
 * and TypeScript) are run on the webhook notices that arrived. The walkthrough watches its own
 * deployment `eta-staging`, so it runs beside e2e/monitoring/monitors.spec.ts, which changes the demo's
 * `eta` monitor.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { APIRequestContext } from "@playwright/test";
import { DEMO } from "../../scripts/seed";
import { verifyWebhookSignature } from "../../server/alerts/signature";
import { startHttpReceiver, startSmtpReceiver, type ReceivedRequest } from "../../server/testing/alert-receivers";
import { expect, signInViaApi, test, trpc } from "../fixtures";
import { readmeSection, runSection } from "./readme-sections";

const exec = promisify(execFile);
const MONITOR = "eta-staging";
const CHANNELS = ["ML on-call", "Slack #ml-alerts", "Pager bridge"];
const SECRET = "whsec_readme_monitoring_0123456789abcdef";
const SMTP_LOGIN = { user: "cairn-alerts", password: "s3cret pass with \"quotes\" & spaces" };

/** Leaves the demo as the walkthrough found it: its monitor with the defaults and no rules, none of its channels, its pipeline archived with no run left going. */
async function cleanUp(api: APIRequestContext, ids: { projectId: string; orgId: string }) {
  const monitors = await trpc<{ name: string }[]>(api, "query", "monitor.list", { projectId: ids.projectId });
  if (monitors.some((m) => m.name === MONITOR)) {
    for (const rule of await trpc<{ id: string }[]>(api, "query", "monitor.rules", { projectId: ids.projectId, name: MONITOR })) {
      await trpc(api, "mutation", "monitor.deleteRule", { projectId: ids.projectId, name: MONITOR, ruleId: rule.id });
    }
    // The defaults a new deployment's monitor has: the walkthrough's first block prints them.
    const defaults = { window: { kind: "hourly" }, mode: "calibrated", alpha: 0.05, driftShare: 0.5, labelDelaySeconds: 3600, minLabels: 50 };
    await trpc(api, "mutation", "monitor.update", { projectId: ids.projectId, name: MONITOR, patch: defaults });
  }
  for (const channel of await trpc<{ id: string; name: string }[]>(api, "query", "alert.channels", { orgId: ids.orgId })) {
    if (CHANNELS.includes(channel.name)) await trpc(api, "mutation", "alert.deleteChannel", { orgId: ids.orgId, channelId: channel.id });
  }
  const pipeline = (await trpc<{ id: string; name: string }[]>(api, "query", "pipeline.list", { projectId: ids.projectId })).find((p) => p.name === "eta-staging-retrain");
  if (pipeline) {
    for (const run of await trpc<{ id: string; status: string }[]>(api, "query", "pipeline.runs", { projectId: ids.projectId, pipelineId: pipeline.id })) {
      if (run.status === "QUEUED" || run.status === "RUNNING") await trpc(api, "mutation", "pipeline.cancelRun", { projectId: ids.projectId, runId: run.id });
    }
    await trpc(api, "mutation", "pipeline.archive", { projectId: ids.projectId, pipelineId: pipeline.id });
  }
}

const header = (r: ReceivedRequest, name: string) => String(r.headers[name] ?? "");

test("every command of the README's Monitoring and Alerts sections works as written", async ({ baseURL, page }) => {
  test.setTimeout(14 * 60_000);
  const monitoring = await readmeSection("## Monitoring");
  const alerts = await readmeSection("## Alerts");
  // The JSON example of a webhook body is an illustration; every sh block runs, the verifiers are saved and run below.
  const blocks = [...monitoring, ...alerts].filter((b) => b.lang === "sh" || b.file !== null);
  const shell = blocks.filter((b) => b.lang === "sh");
  expect(shell.length, "sh blocks in the two sections").toBe(12);
  expect(blocks.filter((b) => b.lang !== "sh").map((b) => b.file)).toEqual(["eta-staging-retrain.yaml", "verify_cairn.py", "verify-cairn.mts"]);
  const prelude = (await readmeSection("## From CI and scripts")).filter((b) => b.lang === "sh").slice(0, 2);

  await signInViaApi(page, DEMO.email, process.env.CAIRN_E2E_DEMO_PASSWORD!);
  const api = page.context().request;
  const project = await trpc<{ id: string; orgId: string }>(api, "query", "project.get", { orgSlug: DEMO.orgSlug, projectSlug: DEMO.projectSlug });
  const ids = { projectId: project.id, orgId: project.orgId };
  // A retry starts from a clean slate (rule and channel names are unique).
  await cleanUp(api, ids);

  const smtp = await startSmtpReceiver(SMTP_LOGIN);
  const slack = await startHttpReceiver();
  const hook = await startHttpReceiver();
  try {
    const { stdout: out, dir } = await runSection({
      blocks,
      prelude,
      env: {
        CAIRN_URL: baseURL!,
        CAIRN_PASSWORD: process.env.CAIRN_E2E_DEMO_PASSWORD!,
        CAIRN_EMAIL: "",
        CAIRN_TOKEN: "",
        CAIRN_SERVE_URL: process.env.CAIRN_E2E_SERVE_URL!,
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(smtp.port),
        SMTP_USER: SMTP_LOGIN.user,
        SMTP_PASSWORD: SMTP_LOGIN.password,
        SLACK_WEBHOOK_URL: `${slack.url}/services/T000/B000/readme-secret-part`,
        ALERT_WEBHOOK_URL: `${hook.url}/cairn`,
        ALERT_WEBHOOK_SECRET: SECRET,
      },
      timeoutMs: 13 * 60_000,
    });
    expect(out.match(/^::block \d+$/gm)).toHaveLength(shell.length);
    const lines = out.split("\n");
    const json = <T>(pattern: RegExp): T[] => lines.filter((l) => pattern.test(l)).map((l) => JSON.parse(l) as T);

    // The monitor came with the deployment, with the documented defaults.
    expect(out).toMatch(/^\{"name":"eta-staging","deploymentName":"eta-staging","reference":\{"kind":"training"\},"window":\{"kind":"hourly"\},"mode":"calibrated","alpha":0\.05,"schedule":"0 \* \* \* \*","features":null\}$/m);
    expect(out).toMatch(/^eta-staging watches eta-staging: calibrated, α = 0\.05$/m);
    // Settings saved, and a bad one refused with the field and the rule.
    expect(out).toMatch(/^\{"window":\{"kind":"rows","rows":200\},"mode":"calibrated","alpha":0\.01,"effectFloors":\{\},"driftShare":0\.5,"labelDelaySeconds":0,"minLabels":100\}$/m);
    expect(out).toMatch(/^400 patch\.alpha: alpha lies in \(0, 0\.5\]$/m);
    // 200 rows served by the champion and 200 labels stored.
    expect(out).toMatch(/^\{"model_version":"1","rows":200\}$/m);
    expect(out).toMatch(/^\{"stored":1,"unchanged":0\}$/m);

    // The data report: 200 rows against the reference; distance_km (in miles now) drifted, with its figures.
    const [summary] = json<{ verdict: string; rows: number; driftShare: number; mode: string; alpha: number }>(/^\{"verdict":"\w+","rows"/);
    expect(summary).toMatchObject({ verdict: "ok", rows: 200, mode: "calibrated", alpha: 0.01 });
    type Feature = { feature: string; drifted: boolean; statistic: string; value: number; threshold: number; effect: number; floor: number; nRef: number; nCur: number; evidently: string };
    const features = json<Feature>(/^\{"feature":"\w+","drifted"/);
    expect(features.map((f) => f.feature).sort()).toEqual(["distance_km", "driver_experience_years", "hour", "prediction", "region", "traffic_index", "vehicle_type", "weather", "weekday"]);
    const distance = features.find((f) => f.feature === "distance_km")!;
    expect(distance).toMatchObject({ drifted: true, statistic: "wasserstein", floor: 0.1, nCur: 200 });
    expect(distance.value).toBeGreaterThan(distance.threshold);
    expect(distance.effect).toBeGreaterThanOrEqual(0.1);
    expect(distance.nRef).toBeGreaterThan(5000);
    expect(distance.evidently).toMatch(/^\w+ true$/);
    expect(features.find((f) => f.feature === "prediction")!.drifted).toBe(true);
    // As the README says: Evidently's fixed 0.1 flags hour on this sample of the test split, the threshold calibrated for 200 rows does not.
    expect(features.find((f) => f.feature === "hour")).toMatchObject({ drifted: false, evidently: "wasserstein true" });
    expect(features.find((f) => f.feature === "hour")!.threshold).toBeGreaterThan(0.15);
    for (const f of features.filter((x) => x.feature !== "distance_km" && x.feature !== "prediction")) {
      expect(f.statistic).toBe(f.feature === "weather" || f.feature === "vehicle_type" || f.feature === "region" ? "jensenshannon" : "wasserstein");
      expect(f.nCur).toBe(200);
    }
    // Fewer than half the features drifted: the report as a whole is ok, with the share that says so.
    expect(summary!.driftShare).toBeCloseTo(features.filter((f) => f.feature !== "prediction" && f.drifted).length / 8, 3);
    const histogram = json<{ feature: string; percent: { bin: string; reference: number; current: number }[] }>(/^\{"feature":"distance_km","percent"/)[0]!;
    expect(histogram.percent).toHaveLength(4);
    // Miles are shorter: the lowest bin holds more of the window than of the reference.
    expect(histogram.percent[0]!.bin).toMatch(/^≤ /);
    expect(histogram.percent[0]!.current).toBeGreaterThan(histogram.percent[0]!.reference + 10);
    const concept = json<{ verdict: string; labels: number; rmse: number }>(/^\{"verdict":"ok","labels"/)[0]!;
    // A retried test adds its 200 labels to those of the first try within the hour.
    expect(concept.labels).toBeGreaterThanOrEqual(200);
    expect(concept.rmse).toBeGreaterThan(4);

    // Batch scoring: the miles uploaded as a dataset version, judged as the window, scored by the served version (the one that answered above).
    expect(out).toMatch(/^\{"window":"dataset","driftShare":0\.1\}$/m);
    const batch = json<{ window: string; scoredBy: number; rows: number; verdict: string; drifted: string[]; predictionDrift: boolean }>(/^\{"window":"dataset eta-nightly/);
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({ window: "dataset eta-nightly v1", scoredBy: 1, rows: 200, verdict: "drifted", predictionDrift: true });
    expect(batch[0]!.drifted).toContain("distance_km");
    // One drifted feature of eight is at least driftShare 0.1; the same rows as the prediction-log window, so the same features drift.
    expect(batch[0]!.drifted.sort()).toEqual(features.filter((f) => f.feature !== "prediction" && f.drifted).map((f) => f.feature).sort());
    expect(out).toMatch(/^\{"window":\{"kind":"rows","rows":200\},"driftShare":0\.5\}$/m);

    // Alerts: SMTP saved with its password (never shown), the three channels' tests delivered.
    expect(out).toMatch(new RegExp(`^\\{"configured":true,"port":${smtp.port},"secure":false,"hasPassword":true,"from":"cairn-alerts@example\\.com"\\}$`, "m"));
    for (const name of CHANNELS) expect(out).toContain(`{"channel":"${name}","ok":true,"error":null}`);
    expect(out).toContain('{"name":"Slack #ml-alerts","kind":"slack","public":{"channelLabel":"#ml-alerts","host":"127.0.0.1:');
    expect(out).not.toContain("readme-secret-part");
    expect(out).not.toContain(SECRET);
    // The refused rule names the field, the feature and the features it could have named.
    expect(out).toMatch(/^400 condition\.feature: "distance" is not a monitored feature \(distance_km, .*\)$/m);
    expect(out).toMatch(/^\{"name":"eta-staging-retrain","revision":\d+,"triggers":\[\{"kind":"monitor","detail":"eta-staging"\}\]\}$/m);
    // A training spec: the refused target named with the dataset's columns, then the pipeline the rule generated (no trigger: only the rule starts it).
    expect(out).toMatch(/^400 action\.retrain\.training\.target: dataset "deliveries" has no column "eta_minutes" \(columns: .*\bminutes\b.*\)$/m);
    expect(out).toMatch(/^eta-staging-retrain-[a-z0-9]+ \(api, triggers: 0\):\nuses: train uses: evaluate uses: register uses: gate uses: deploy if: gate\.passed deployment: eta-staging$/m);
    expect(out).toMatch(/^\{"name":"distance-drift","condition":\{"on":"feature","feature":"distance_km"\},"severity":"critical","channels":3,"action":null\}$/m);
    expect(out).toMatch(/^\{"name":"rmse-retrain","condition":\{"on":"concept","metric":"rmse","max":4\},"severity":"warning","channels":1,"action":\{"retrain":\{"pipeline":"eta-staging-retrain"\}\}\}$/m);

    // The incidents, each notice sent once to each of its rule's channels.
    type Incident = { title: string; severity: string; status: string; subject: string; figures: Record<string, string | number>; deliveries: string[] };
    const incidents = json<Incident>(/^\{"title"/);
    const drift = incidents.find((i) => i.subject === "eta-staging/distance_km")!;
    expect(drift).toMatchObject({ title: "Feature distance_km drifted on eta-staging", severity: "critical", status: "firing" });
    expect(drift.figures).toMatchObject({ feature: "distance_km", statistic: "wasserstein", "n (window)": 200 });
    expect(drift.deliveries.sort()).toEqual(["ML on-call firing sent", "Pager bridge firing sent", "Slack #ml-alerts firing sent"]);
    const rmse = incidents.find((i) => i.subject === "eta-staging/rmse")!;
    expect(rmse).toMatchObject({ title: "rmse out of bounds on eta-staging", severity: "warning", status: "firing", deliveries: ["Slack #ml-alerts firing sent"] });
    expect(rmse.figures).toMatchObject({ metric: "rmse", max: 4, labels: concept.labels });
    expect(out).toMatch(/^\{"subject":"eta-staging\/distance_km","status":"acknowledged","acknowledgedBy":"token ci \(cairn_[^"]+\)"\}$/m);
    // The run the rmse incident started, and the chain from report to run, its version and gate.
    // The retrained model's policy asks for rmse under 10 and no approval: the run gets through its gate and deploys.
    const runs = json<{ number: number; status: string }>(/^\{"number":\d+,"status":"\w+","trigger":"monitor","monitor":"eta-staging","byThisIncident":true\}$/);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe("SUCCEEDED");
    const chain = json<{ rule: string; report: string; alert: string; runs: { pipeline: string; status: string; version: number | null; gatePassed: boolean | null }[]; note: string | null }>(/^\{"rule"/)[0]!;
    expect(chain).toMatchObject({ rule: "rmse-retrain", report: "concept ok", alert: "firing", note: null });
    expect(chain.runs).toHaveLength(1);
    expect(chain.runs[0]).toMatchObject({ pipeline: "eta-staging-retrain", status: "SUCCEEDED", gatePassed: true });
    expect(chain.runs[0]!.version).toBeGreaterThanOrEqual(1);
    expect(out).toMatch(/^\{"approvals":\{"required":0,/m);
    // The deploy step's ledger entry on the deployment it served the version on names the run, the incident, the version, the passed gate and what waived the approval; the chain still verifies.
    type Provenance = { kind: string; run: string; trigger: string; incident: string; byThisIncident: boolean; version: string; gatePassed: boolean; approval: string; waivedBy: string; chainValid: boolean };
    const entries = json<Provenance>(/^\{"kind":"\w+","run":"eta-staging-retrain #/);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      run: `eta-staging-retrain #${runs[0]!.number}`,
      trigger: "monitor",
      incident: "rmse out of bounds on eta-staging",
      byThisIncident: true,
      version: `eta-staging-retrained v${chain.runs[0]!.version}`,
      gatePassed: true,
      approval: "waived",
      chainValid: true,
    });
    // The first try creates the deployment; a retry's run starts its version as the canary.
    expect(entries[0]!.kind).toMatch(/^(create|candidate)$/);
    expect(entries[0]!.waivedBy).toMatch(/^gate policy revision \d+ requires no approvals/);
    // Kilometres again: the acknowledged drift incident resolved, and the resolved notice went to its three channels.
    expect(out).toMatch(/^\{"rows":200\}$/m);
    const resolved = json<{ subject: string; status: string; deliveries: string[] }>(/^\{"subject":"eta-staging\/distance_km","status":"resolved"/)[0]!;
    expect(resolved.deliveries.filter((d) => d.includes(" resolved ")).sort()).toEqual(["ML on-call resolved sent", "Pager bridge resolved sent", "Slack #ml-alerts resolved sent"]);
    expect(resolved.deliveries).toHaveLength(6);

    // What the receivers got. E-mail: the test, the drift alert with its figures and its resolution, through the login.
    expect(smtp.logins.every((l) => l.user === SMTP_LOGIN.user && l.password === SMTP_LOGIN.password)).toBe(true);
    expect(smtp.messages.map((m) => m.subject)).toEqual([
      '[Cairn] TEST Test of channel "ML on-call" (channel test)',
      "[Cairn] FIRING critical: Feature distance_km drifted on eta-staging (ETA prediction)",
      "[Cairn] RESOLVED Feature distance_km drifted on eta-staging (ETA prediction)",
    ]);
    expect(smtp.recipients).toEqual(Array(3).fill(["ml-oncall@example.com"]));
    const mail = smtp.messages[1]!;
    expect(mail.text).toContain("statistic: wasserstein");
    expect(mail.text).toContain("n (window): 200");
    expect(mail.text).toMatch(/Open in Cairn: http\S+\/acme-logistics\/eta-prediction\/monitors\/eta-staging/);
    // Slack: Block Kit for the test, both alerts and the drift's resolution, on the URL's own path (the rmse alert's repeat is no notice).
    const slackBodies = slack.requests.map((r) => ({ path: r.path, body: JSON.parse(r.rawBody) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { url?: string }[] }[] } }));
    expect(slackBodies.map((b) => b.path)).toEqual(Array(4).fill("/services/T000/B000/readme-secret-part"));
    const headers = slackBodies.map((b) => b.body.blocks[0]!.text!.text).sort();
    expect(headers).toEqual(["FIRING: Feature distance_km drifted on eta-staging", "FIRING: rmse out of bounds on eta-staging", "RESOLVED: Feature distance_km drifted on eta-staging", 'TEST: Test of channel "Slack #ml-alerts"']);
    const slackDrift = slackBodies.find((b) => b.body.blocks[0]!.text!.text.startsWith("FIRING: Feature"))!.body;
    expect(slackDrift.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "actions", "context"]);
    expect(slackDrift.blocks[2]!.fields!.map((f) => f.text)).toEqual(expect.arrayContaining(["*statistic*\nwasserstein", "*n (window)*\n200"]));
    expect(slackDrift.blocks[3]!.elements![0]!.url).toMatch(/\/acme-logistics\/eta-prediction\/monitors\/eta-staging$/);
    // Webhook: the test, the drift alert and its resolution, signed; Cairn's own check, and the README's Python and TypeScript ones, accept them and refuse a changed body.
    expect(hook.requests.map((r) => (JSON.parse(r.rawBody) as { event: string }).event)).toEqual(["test", "firing", "resolved"]);
    const checks: string[] = [];
    for (const r of hook.requests) {
      const args = { secret: SECRET, rawBody: r.rawBody, signature: header(r, "x-cairn-signature"), timestamp: header(r, "x-cairn-timestamp") };
      expect(verifyWebhookSignature(args)).toBe(true);
      for (const body of [r.rawBody, r.rawBody.replace('"version":1', '"version":2')]) {
        const py = await exec("python3", ["-c", "import sys, verify_cairn as v; print(v.verify(sys.argv[1], sys.argv[2].encode(), sys.argv[3], sys.argv[4]))", SECRET, body, args.signature, args.timestamp], { cwd: dir });
        const ts = await exec(path.resolve("node_modules/.bin/node"), ["--input-type=module", "-e", "const { verify } = await import(process.argv[1]); console.log(String(verify(process.argv[2], Buffer.from(process.argv[3]), process.argv[4], process.argv[5])))", path.join(dir, "verify-cairn.mts"), SECRET, body, args.signature, args.timestamp]);
        checks.push(`${py.stdout.trim()} ${ts.stdout.trim()}`);
      }
    }
    expect(checks).toEqual(Array(3).fill(["True true", "False false"]).flat());
    const firing = JSON.parse(hook.requests[1]!.rawBody) as Record<string, unknown>;
    expect(firing).toMatchObject({ version: 1, event: "firing", title: "Feature distance_km drifted on eta-staging", subject: "eta-staging/distance_km", organization: "Acme Logistics", project: "ETA prediction", count: 1 });
    expect(header(hook.requests[1]!, "x-cairn-delivery")).toBe(firing.deliveryId);
  } finally {
    await Promise.all([smtp.close(), slack.close(), hook.close()]);
    await cleanUp(api, ids);
  }
});
