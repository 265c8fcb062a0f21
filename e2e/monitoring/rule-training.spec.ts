/**
 * A rule that retrains with a training spec, made in the rule form on the demo's monitor of `eta`:
 * a target the data lacks is refused with the server's message naming the field, then the rule is
 * created and links the pipeline Cairn generated from it (train → … → deploy if the gate passed).
 * The rule is created disabled and deleted at the end, so the demo's other monitor tests never see it fire.
 */
import { DEMO } from "../../scripts/seed";
import { expect, test, trpc } from "../fixtures";
import { demoMonitorListed, DEMO_BASE } from "./helpers";
import { choose } from "../foundation/helpers";

const base = DEMO_BASE;
const RULE = "retrain-with-spec";

test("a rule's training action: refused with the field, then created with its generated pipeline", async ({ page }) => {
  test.setTimeout(10 * 60_000);
  const request = page.context().request;
  await demoMonitorListed(page);
  const project = await trpc<{ id: string }>(request, "query", "project.get", { orgSlug: DEMO.orgSlug, projectSlug: DEMO.projectSlug });

  await page.goto(`${base}/monitors/eta`);
  await page.getByRole("button", { name: "New rule" }).click();
  const form = page.getByRole("form", { name: "New rule" });
  await form.getByLabel("Name", { exact: true }).fill(RULE);
  await choose(page, form.locator('[data-select="rule-retrain"]'), "train with a spec");
  await form.getByLabel("Target column").fill("eta_minutes");
  await form.getByLabel("Exclude columns").fill("delivery_id");
  await form.getByLabel("Trainer params (JSON)").fill('{"rounds": 30, "maxDepth": 4}');
  await form.getByLabel("Canary steps (%)").fill("10, 50, 100");
  await form.getByLabel("Bake time per step (minutes)").fill("10");
  await form.getByRole("switch").click();
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(form.locator("[data-rule-error]")).toContainText('action.retrain.training.target: dataset "deliveries" has no column "eta_minutes"');
  await form.evaluate((el) => el.scrollIntoView({ block: "center" }));
  await form.screenshot({ path: "test-results/screenshots/monitors-rule-training-error.png" });

  await form.getByLabel("Target column").fill("minutes");
  await form.getByRole("button", { name: "Create rule" }).click();
  const row = page.locator(`[data-rule="${RULE}"]`);
  await expect(row).toContainText("disabled");
  await expect(row).toContainText("retrains gbdt on the training data → gate → canary via eta-retrain-");
  await row.evaluate((el) => el.scrollIntoView({ block: "center" }));
  await page.screenshot({ path: "test-results/screenshots/monitors-rule-training-created.png" });

  const rules = await trpc<{ id: string; name: string; generatedPipeline: string | null }[]>(request, "query", "monitor.rules", { projectId: project.id, name: "eta" });
  const rule = rules.find((r) => r.name === RULE)!;
  expect(rule.generatedPipeline).toMatch(/^eta-retrain-/);

  // The generated pipeline is an ordinary pipeline: its page shows the steps Cairn wrote.
  await row.locator(`[data-rule-pipeline="${RULE}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/pipelines/${rule.generatedPipeline}$`));
  await expect(page.getByText(`alert rule "${RULE}" on monitor eta`).first()).toBeVisible();
  await expect(page.getByLabel("Current pipeline YAML")).toHaveValue(/if: gate\.passed[\s\S]*deployment: eta/);
  await page.screenshot({ path: "test-results/screenshots/monitors-rule-training-pipeline.png", fullPage: true });

  // Leave the demo as found: deleting the rule archives its pipeline.
  await trpc(request, "mutation", "monitor.deleteRule", { projectId: project.id, name: "eta", ruleId: rule.id });
  const listed = await trpc<{ name: string }[]>(request, "query", "pipeline.list", { projectId: project.id });
  expect(listed.map((p) => p.name)).not.toContain(rule.generatedPipeline);
});
