/**
 * The closed loop end to end, in a project of the test's own: a pipeline trains, gates and deploys
 * v1; drifted traffic goes through the real serving process; "Run now" on the monitor page raises the
 * drift alert, delivered to a real SMTP server (message parsed) and a Slack-like receiver (Block Kit
 * checked); the rule's retrain action starts the pipeline (trigger monitor), which trains v2, gates it
 * and starts it as the canary. The monitor page's incident chain and the deployment's ledger show the
 * whole chain with links. Screenshots: loop-chain, loop-run, loop-ledger.
 */
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { stringify } from "yaml";
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from "../../server/testing/alert-receivers";
import { expect, test, trpc, type Account } from "../fixtures";
import { orgIdOf } from "../foundation/helpers";
import { exampleInstance } from "./helpers";
import { PIPELINE_TIMEOUT } from "../pipelines/helpers";
import { projectWithDeliveries } from "../training/helpers";

const MODEL = "eta-loop";
const DEPLOYMENT = "eta-loop";
const PIPELINE = "eta-loop-retrain";
/** Rows per monitor window: the drifted traffic fills exactly one. */
const WINDOW = 100;
const ROWS_PER_REQUEST = 20;
// Any sane model passes; approvals are not asked for, so the ledger must name the gate policy that waived them.
const POLICY = "approvals:\n  required: 0\nchecks:\n  thresholds:\n    - metric: rmse\n      max: 1000\n";

type Run = { id: string; number: number; status: string; trigger: string; steps: { stepId: string; status: string; message: string | null; outputs: Record<string, unknown> | null }[] };

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/loop-${name}.png`, fullPage: true });
}

/** A viewport-high screenshot from just above `el` (clear of the sticky header), for a part far down a long page. */
async function shotFrom(page: Page, el: Locator, name: string) {
  await el.evaluate((e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 80));
  await page.screenshot({ path: `test-results/screenshots/loop-${name}.png` });
}

/** The pipeline: validate → train (GBDT, few rounds) → evaluate → register → gate → canary with a long bake (the test looks at its first step). */
function pipelineYaml(environment: string): string {
  return stringify({
    name: PIPELINE,
    params: { rounds: 8 },
    triggers: [{ monitor: DEPLOYMENT }],
    steps: [
      { id: "validate", uses: "validate-data", with: { dataset: "deliveries" } },
      { id: "train", uses: "train", with: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id"], params: { rounds: "${{ params.rounds }}", maxDepth: 3 } } },
      { id: "evaluate", uses: "evaluate" },
      { id: "register", uses: "register", with: { model: MODEL } },
      { id: "gate", uses: "gate" },
      { id: "deploy", uses: "deploy", if: "gate.passed", with: { deployment: DEPLOYMENT, environment, strategy: "canary", steps: [20, 100], bakeSeconds: 3600 } },
    ],
  });
}

async function finishedRun(request: APIRequestContext, projectId: string, runId: string): Promise<Run> {
  let run: Run | null = null;
  await expect
    .poll(
      async () => {
        run = await trpc<Run>(request, "query", "pipeline.runGet", { projectId, runId });
        return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(run.status) ? run.status : "running";
      },
      { timeout: PIPELINE_TIMEOUT * 2, intervals: [2_000] },
    )
    .not.toBe("running");
  const done = run as unknown as Run;
  expect(done.status, JSON.stringify(done.steps.map((s) => [s.stepId, s.status, s.message]))).toBe("SUCCEEDED");
  return done;
}

/** A fresh project where v1 of the model serves `eta-loop` in an environment that takes gate-passed versions, trained and deployed by the pipeline itself. */
async function loopProject(page: Page, account: Account) {
  const request = page.context().request;
  const project = await projectWithDeliveries(page, account, 600);
  const env = await trpc<{ name: string }>(request, "mutation", "deployment.createEnvironment", { projectId: project.id, name: "loop-staging", requires: "gate_passed" });
  const model = await trpc<{ id: string }>(request, "mutation", "model.create", { projectId: project.id, name: MODEL, task: "regression" });
  await trpc(request, "mutation", "gate.savePolicy", { projectId: project.id, modelId: model.id, yaml: POLICY });
  const pipeline = await trpc<{ id: string }>(request, "mutation", "pipeline.save", { projectId: project.id, yaml: pipelineYaml(env.name), source: "api" });
  // Fewer rounds than the spec's, so the retraining run's model is other bytes (a new version, not the cached one).
  const first = await trpc<{ id: string }>(request, "mutation", "pipeline.run", { projectId: project.id, pipelineId: pipeline.id, params: { rounds: 4 } });
  await finishedRun(request, project.id, first.id);
  return { project, pipelineId: pipeline.id, environment: env.name };
}


/** WINDOW rows whose numeric features sit far above anything in training, sent in batches through the serving process. */
async function driftedTraffic(request: APIRequestContext, secret: string, example: Record<string, string | number | boolean>) {
  const url = `${process.env.CAIRN_E2E_SERVE_URL}/v2/models/${DEPLOYMENT}/infer`;
  for (let i = 0; i < WINDOW; i += ROWS_PER_REQUEST) {
    const instances = Array.from({ length: ROWS_PER_REQUEST }, (_, j) => Object.fromEntries(Object.entries(example).map(([k, v]) => [k, typeof v === "number" ? 40 + ((i + j) % 9) * 3 : v])));
    const res = await request.post(url, { data: { instances }, headers: { authorization: `Bearer ${secret}` } });
    expect(res.status(), await res.text()).toBe(200);
  }
}

test("closed loop: drifted traffic → e-mail and Slack alert → retraining run → gate → canary, linked on the monitor page and in the ledger", async ({ page, account }) => {
  test.setTimeout(15 * 60_000);
  await page.setViewportSize({ width: 1280, height: 1100 });
  const request = page.context().request;
  let smtp: SmtpReceiver | undefined;
  let slack: HttpReceiver | undefined;
  try {
    smtp = await startSmtpReceiver();
    slack = await startHttpReceiver();
    const { project, pipelineId } = await loopProject(page, account);
    const orgId = await orgIdOf(page, account.orgSlug);

    // The monitor comes with the deployment (created by the backend); one window of WINDOW rows, a quarter of the features drifted is a drifted dataset.
    await expect.poll(async () => (await trpc<{ name: string }[]>(request, "query", "monitor.list", { projectId: project.id })).map((m) => m.name), { timeout: 60_000 }).toContain(DEPLOYMENT);
    await trpc(request, "mutation", "monitor.update", { projectId: project.id, name: DEPLOYMENT, patch: { window: { kind: "rows", rows: WINDOW }, driftShare: 0.25 } });

    // Org alert channels: e-mail through the test's SMTP server, Slack to the test's receiver; a rule with both and the retrain action.
    await trpc(request, "mutation", "alert.setSmtp", { orgId, host: "127.0.0.1", port: smtp.port, secure: false, from: "cairn@loop.e2e.test" });
    const email = await trpc<{ id: string }>(request, "mutation", "alert.createChannel", { orgId, name: "loop mail", config: { kind: "email", to: ["ml-oncall@loop.e2e.test"] } });
    const chat = await trpc<{ id: string }>(request, "mutation", "alert.createChannel", { orgId, name: "loop slack", config: { kind: "slack", webhookUrl: `${slack.url}/services/T0/B0/loop`, channelLabel: "#ml-loop" } });
    await trpc(request, "mutation", "monitor.createRule", {
      projectId: project.id,
      name: DEPLOYMENT,
      rule: { name: "drift-retrain", condition: { on: "data_drift" }, channelIds: [email.id, chat.id], severity: "critical", action: { retrain: { pipeline: PIPELINE } }, budget: { maxRunsPerDay: 1 } },
    });

    const token = await trpc<{ secret: string }>(request, "mutation", "token.create", { orgId, name: "loop-predict", role: "MEMBER", projectId: project.id });
    await driftedTraffic(request, token.secret, await exampleInstance(page, `${project.base}/deployments/${DEPLOYMENT}`));

    // "Run now" on the monitor page: the drift report, then the alert.
    await page.goto(`${project.base}/monitors/${DEPLOYMENT}`);
    await page.getByRole("button", { name: "Run now" }).click();
    await expect(page.locator("[data-run-now]")).toHaveAttribute("data-run-now", "done", { timeout: 3 * 60_000 });
    await expect(page.locator("[data-report]")).toHaveAttribute("data-report-verdict", "drifted");

    // The e-mail, parsed: subject, recipients, the figures behind the verdict and a link to the monitor page.
    await expect.poll(() => smtp!.messages.length, { timeout: 60_000 }).toBe(1);
    const mail = smtp.messages[0]!;
    expect(mail.subject).toMatch(/^\[Cairn\] FIRING critical: Data drift on eta-loop: \d+ of \d+ features drifted \(Delivery ETA\)$/);
    expect(smtp.recipients[0]).toEqual(["ml-oncall@loop.e2e.test"]);
    expect(mail.text).toContain("Figures:");
    expect(mail.text).toMatch(/drifted features: .*distance_km/);
    expect(mail.text).toMatch(/threshold: \d/);
    expect(mail.text).toMatch(new RegExp(`Open in Cairn: https?://[^\\s]+/${account.orgSlug}/${project.slug}/monitors/${DEPLOYMENT}\\b`));
    // The Slack payload: a header, the figures as fields and a button to the same page.
    await expect.poll(() => slack!.accepted().length, { timeout: 60_000 }).toBe(1);
    const posted = slack.accepted()[0]!;
    expect(posted.path).toBe("/services/T0/B0/loop");
    const payload = JSON.parse(posted.rawBody) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { url?: string }[] }[] };
    expect(payload.text).toBe(mail.subject);
    expect(payload.blocks[0]).toMatchObject({ type: "header", text: { text: expect.stringContaining("Data drift on eta-loop") } });
    const fields = payload.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
    expect(fields).toContainEqual(expect.stringMatching(/^\*drifted features\*\n.*distance_km/));
    expect(fields).toContainEqual(expect.stringMatching(/^\*threshold\*\n\d/));
    const button = payload.blocks.find((b) => b.type === "actions")!.elements![0]!;
    expect(button.url).toMatch(new RegExp(`/${account.orgSlug}/${project.slug}/monitors/${DEPLOYMENT}$`));

    // The rule started the retraining pipeline (trigger monitor); it trains v2, gates it and starts the canary.
    const runs = await trpc<{ id: string; trigger: string; number: number }[]>(request, "query", "pipeline.runs", { projectId: project.id, pipelineId });
    const retrain = runs.find((r) => r.trigger === "monitor");
    expect(retrain, JSON.stringify(runs)).toBeDefined();
    const run = await finishedRun(request, project.id, retrain!.id);
    const out = Object.fromEntries(run.steps.map((s) => [s.stepId, s.outputs ?? {}]));
    expect(out.register).toMatchObject({ modelVersion: 2 });
    expect(out.gate).toMatchObject({ passed: true });
    const deployment = await trpc<{ id: string; strategy: string; status: string; candidateVersion: number; candidatePercent: number }>(request, "query", "deployment.get", { projectId: project.id, deploymentId: String(out.deploy!.deploymentId) });
    expect(deployment).toMatchObject({ strategy: "canary", status: "rolling_out", candidateVersion: 2, candidatePercent: 20 });

    // The monitor page: the incident's chain links report, alert, run, gate and rollout.
    await page.reload();
    const incident = page.locator('[data-incident-state="firing"]').filter({ hasText: "Data drift on eta-loop" });
    const incidentId = await incident.getAttribute("data-incident");
    expect(incidentId).toBeTruthy();
    await incident.getByRole("button", { name: "Show chain" }).click();
    const chain = page.getByRole("list", { name: "Chain" });
    await expect(chain.locator('[data-chain-link="Alert (rule drift-retrain)"]')).toContainText("Data drift on eta-loop");
    await expect(chain.locator(`[data-chain-run="${run.number}"]`)).toHaveAttribute("href", `${project.base}/pipelines/${PIPELINE}/runs/${run.id}`);
    await expect(chain.locator('[data-chain-link="Gate report"]')).toContainText("passed");
    await expect(chain.locator('[data-chain-link="Gate report"] a').first()).toHaveAttribute("href", `${project.base}/models/${MODEL}/versions/2`);
    await expect(chain.locator("[data-chain-gate-report]")).toHaveAttribute("href", `${project.base}/models/${MODEL}/versions/2?report=${String(out.gate!.gateReportId)}`);
    await expect(chain.locator('[data-chain-link="Rollout"]')).toContainText("succeeded");
    await expect(chain.locator('[data-chain-link="Rollout"] a')).toHaveAttribute("href", `${project.base}/deployments/${DEPLOYMENT}`);
    await shotFrom(page, page.getByRole("heading", { name: "Alert history" }), "chain");

    // The run page of the retraining run.
    await chain.locator(`[data-chain-run="${run.number}"]`).click();
    await expect(page).toHaveURL(`${project.base}/pipelines/${PIPELINE}/runs/${run.id}`);
    await expect(page.locator('[data-run-state="SUCCEEDED"]')).toBeVisible();
    await expect(page.locator('[data-step="deploy"][data-step-state="SUCCEEDED"]')).toBeVisible();
    await shot(page, "run");

    // The deployment's ledger: the canary entry with its provenance, each link to its page; the chain verifies.
    await page.goto(`${project.base}/deployments/${DEPLOYMENT}`);
    const entry = page.locator('[data-ledger-kind="candidate"]');
    const provenance = entry.getByLabel("Provenance");
    await expect(provenance).toHaveAttribute("data-ledger-provenance", run.id);
    const incidentLink = provenance.locator('[data-provenance="incident"]');
    await expect(incidentLink).toContainText("Data drift on eta-loop");
    await expect(incidentLink).toHaveAttribute("href", `${project.base}/monitors/${DEPLOYMENT}?incident=${incidentId}`);
    await expect(provenance).toContainText(`monitor ${DEPLOYMENT}`);
    await expect(provenance.locator('[data-provenance="run"]')).toHaveAttribute("href", `${project.base}/pipelines/${PIPELINE}/runs/${run.id}`);
    await expect(provenance).toContainText("trigger monitor");
    await expect(provenance.locator('[data-provenance="version"]')).toHaveAttribute("href", `${project.base}/models/${MODEL}/versions/2`);
    await expect(provenance.locator('[data-provenance="gate"]')).toHaveAttribute("href", `${project.base}/models/${MODEL}/versions/2?report=${String(out.gate!.gateReportId)}`);
    await expect(provenance.locator('[data-provenance="approval"]')).toHaveAttribute("data-approval", "waived");
    await expect(provenance.locator('[data-provenance="approval"]')).toContainText("gate policy revision 1 requires no approvals");
    await page.getByRole("button", { name: "Verify chain" }).click();
    await expect(page.locator("[data-ledger-valid]")).toHaveAttribute("data-ledger-valid", "true");
    await shotFrom(page, page.getByRole("heading", { name: "Ledger" }), "ledger");

    // The gate report link opens the version page on that report.
    await provenance.locator('[data-provenance="gate"]').click();
    await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/versions/2\\?report=`));
    await expect(page.locator("[data-gate-report]")).toHaveAttribute("data-gate-report", "passed");
    await page.goBack();

    // The incident link opens the monitor page with that incident's chain shown.
    await incidentLink.click();
    await expect(page).toHaveURL(new RegExp(`/monitors/${DEPLOYMENT}\\?incident=`));
    await expect(page.getByRole("list", { name: "Chain" }).locator(`[data-chain-run="${run.number}"]`)).toBeVisible();
  } finally {
    await Promise.all([smtp?.close(), slack?.close()]);
  }
});
