/**
 * The demo's monitor of the deployment `eta` (created by the backend with the deployment): drifted
 * traffic and labels sent through the real serving process and feedback API, "Run now", the report
 * with its charts, settings refused then saved, a rule refused then created, and the incident it
 * raises followed through its chain. Screenshots of the list, the monitor page and the rule editor.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { DEMO } from "../../scripts/seed";
import { expect, test, trpc } from "../fixtures";
import { demoMonitorListed, DEMO_BASE, exampleInstance } from "./helpers";
import { choose, orgIdOf } from "../foundation/helpers";

const base = DEMO_BASE;

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/monitors-${name}.png`, fullPage: true });
}


/**
 * Sends `n` one-row requests whose numeric features sit far above anything in training (the
 * example's 0 becomes 40 and more) and labels each answer with a delivery time.
 */
async function driftedTraffic(request: APIRequestContext, secret: string, example: Record<string, string | number | boolean>, n: number) {
  const url = `${process.env.CAIRN_E2E_SERVE_URL}/v2/models/eta/infer`;
  const items: { requestId: string; labels: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    const row = Object.fromEntries(Object.entries(example).map(([k, v]) => [k, typeof v === "number" ? 40 + (i % 9) * 3 : v]));
    const res = await request.post(url, { data: { instances: [row] }, headers: { authorization: `Bearer ${secret}` } });
    expect(res.status(), await res.text()).toBe(200);
    items.push({ requestId: res.headers()["x-request-id"]!, labels: [30 + (i % 5)] });
  }
  const fb = await request.post(`/api/v1/projects/${DEMO.projectSlug}/deployments/eta/feedback`, { data: { items }, headers: { authorization: `Bearer ${secret}` } });
  expect(fb.status(), await fb.text()).toBeLessThan(300);
}

async function runNow(page: Page) {
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page.locator("[data-run-now]")).toHaveAttribute("data-run-now", "running");
  await expect(page.locator("[data-run-now]")).toHaveAttribute("data-run-now", "done", { timeout: 3 * 60_000 });
}

test("the demo's monitor of eta: run, report, settings, rules and the incident's chain", async ({ page }) => {
  test.setTimeout(12 * 60_000);
  const request = page.context().request;
  await demoMonitorListed(page);
  await expect(page.getByRole("link", { name: "Monitors" })).toHaveAttribute("aria-current", "page");

  const orgId = await orgIdOf(page, DEMO.orgSlug);
  const project = await trpc<{ id: string }>(request, "query", "project.get", { orgSlug: DEMO.orgSlug, projectSlug: DEMO.projectSlug });
  const token = await trpc<{ secret: string }>(request, "mutation", "token.create", { orgId, name: "monitor-e2e", role: "MEMBER", projectId: project.id });
  const example = await exampleInstance(page, `${base}/deployments/eta`);

  await page.goto(`${base}/monitors/eta`);
  await expect(page.locator("[data-monitor-page]")).toHaveAttribute("data-monitor-page", "eta");

  // Settings: a refused value shows the server's message; then labels count at once so this test's feedback is judged.
  const settings = page.getByRole("form", { name: "Monitor settings" });
  await settings.getByLabel("α (false-alarm rate)").fill("0.9");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.locator("[data-settings-error]")).toContainText("alpha lies in (0, 0.5]");
  // A window of the last 120 predictions: this test's traffic, whichever UTC hour it falls in.
  await choose(page, settings.locator('[data-select="window"]'), "every N rows");
  await settings.getByLabel("Rows per window").fill("120");
  await settings.getByLabel("α (false-alarm rate)").fill("0.01");
  await settings.getByLabel("Labels needed per window").fill("20");
  await settings.getByLabel("Label delay (minutes)").fill("0");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.locator("[data-settings-saved]")).toBeVisible();
  await expect(page.getByText("calibrated at α = 0.01")).toBeVisible();
  const saved = await trpc<{ alpha: number; minLabels: number; labelDelaySeconds: number }>(request, "query", "monitor.get", { projectId: project.id, name: "eta" });
  expect(saved).toMatchObject({ window: { kind: "rows", rows: 120 }, alpha: 0.01, minLabels: 20, labelDelaySeconds: 0 });

  await driftedTraffic(request, token.secret, example, 120);
  await runNow(page);

  // The report: verdicts with their figures, Evidently's beside Cairn's, histograms of a feature.
  const report = page.locator("[data-report]");
  await expect(report).toBeVisible();
  await expect(page.locator("[data-drift-chart]")).toBeVisible();
  await expect(page.locator("[data-drift-heatmap]")).toBeVisible();
  const rows = page.locator("[data-feature-row]");
  await expect(report).not.toHaveAttribute("data-report-verdict", "insufficient");
  await expect.poll(() => rows.count()).toBeGreaterThan(1);
  await expect(page.locator('[data-feature-row][data-drifted="true"]').first()).toBeVisible();
  await expect(page.locator("[data-evidently]").first()).toBeVisible();
  await expect(page.locator("[data-histogram]")).toBeVisible();
  const numeric = Object.entries(example).find(([, v]) => typeof v === "number")![0];
  await page.locator(`[data-feature-row="${numeric}"] button`).click();
  await expect(page.locator("[data-histogram]")).toHaveAttribute("data-histogram", numeric);
  await expect(page.locator("[data-performance-chart]")).toBeVisible();
  await expect(page.locator("[data-label-coverage]")).toBeVisible();
  await shot(page, "monitor");

  // Rules: a concept rule without bounds is refused with the server's reason, then created with one.
  await page.getByRole("button", { name: "New rule" }).click();
  const form = page.getByRole("form", { name: "New rule" });
  await form.getByLabel("Name", { exact: true }).fill("rmse-too-high");
  await choose(page, form.locator('[data-select="rule-on"]'), "model metric out of bounds (concept drift)");
  await form.getByLabel("Metric", { exact: true }).fill("rmse");
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(form.locator("[data-rule-error]")).toContainText("a concept rule needs min or max");
  // Centred, so the sticky page header does not cover the form's first fields.
  await form.evaluate((el) => el.scrollIntoView({ block: "center" }));
  await form.screenshot({ path: "test-results/screenshots/monitors-rule-editor-error.png" });
  // Labels are 30-34 minutes against predictions of the demo model on out-of-range inputs: rmse far above 1.
  await form.getByLabel("Alarm above (max)").fill("1");
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(page.locator('[data-rule="rmse-too-high"]')).toContainText("rmse > 1");

  // The next run judges the rule: an incident opens, its chain is shown on this page, and it can be acknowledged.
  await runNow(page);
  const incident = page.locator('[data-incident-state="firing"]').filter({ hasText: "rmse out of bounds on eta" });
  await expect(incident).toBeVisible({ timeout: 60_000 });
  await incident.getByRole("button", { name: "Show chain" }).click();
  const chain = page.getByRole("list", { name: "Chain" });
  await expect(chain.locator('[data-chain-link="Report"]')).toBeVisible();
  await expect(chain.locator('[data-chain-link="Alert (rule rmse-too-high)"]')).toContainText("rmse out of bounds on eta");
  await expect(chain.locator('[data-chain-link="Monitored deployment"] a')).toHaveAttribute("href", `${base}/deployments/eta`);
  await incident.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.locator('[data-incident-state="acknowledged"]').filter({ hasText: "rmse out of bounds on eta" })).toBeVisible();
  await expect(chain.locator("[data-incident-status]")).toHaveAttribute("data-incident-status", "acknowledged");
  await shot(page, "monitor-incident");

  // The list: last verdict, drift-share sparkline, and the open (acknowledged) incident counted.
  await page.goto(`${base}/monitors`);
  const card = page.locator('[data-monitor="eta"]');
  await expect(card.locator("[data-verdict]")).not.toHaveAttribute("data-verdict", "none");
  await expect(card.locator("[data-drift-sparkline]")).toBeVisible();
  await expect(card.locator("[data-open-incidents]")).not.toHaveAttribute("data-open-incidents", "0");
  await shot(page, "list");
});

test("a project without deployments explains where monitors come from", async ({ page, account }) => {
  const orgId = await orgIdOf(page, account.orgSlug);
  const project = await trpc<{ slug: string }>(page.context().request, "mutation", "project.create", { orgId, name: "Quiet", slug: `quiet-${Date.now().toString(36)}` });
  await page.goto(`/${account.orgSlug}/${project.slug}/monitors`);
  await expect(page.getByText("No monitors yet")).toBeVisible();
  await expect(page.getByText("A monitor is created with each deployment")).toBeVisible();
  await page.goto(`/${account.orgSlug}/${project.slug}/monitors/nothing-here`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
