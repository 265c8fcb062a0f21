import { expect, test } from "../fixtures";
import { choose, settled } from "../foundation/helpers";
import { shotFromTop } from "../datasets/helpers";
import { linePaths } from "../runs/helpers";
import { cardValue, expectStatus, openFirstReport, projectWithDeliveries, startTraining, TRAINING_TIMEOUT } from "./helpers";

test.describe("binary classification report", () => {
  test("logistic regression on `late`: confusion matrix, ROC, PR, calibration and fairness", async ({ page, account, shot }) => {
    test.setTimeout(TRAINING_TIMEOUT * 2);
    const project = await projectWithDeliveries(page, account);
    const run = await startTraining(page, project, {
      target: "late",
      exclude: ["delivery_id", "minutes"],
      trainer: "logistic",
      params: { alpha: 0.5 },
      experiment: "Late deliveries",
      name: "logistic-late",
      sliceColumn: "vehicle",
      sensitiveColumn: "region",
    });

    await page.goto(`${project.runsUrl}/${run.id}`);
    await expectStatus(page, "FINISHED");
    await openFirstReport(page);
    await settled(page);

    const auc = await cardValue(page, "rocAuc");
    expect(auc).toBeGreaterThan(0.7);
    expect(auc).toBeLessThanOrEqual(1);
    await expect(page.locator('[data-metric-card="logLoss"] [data-value]')).not.toHaveText("—");

    const matrix = page.getByRole("table", { name: "Confusion matrix" });
    const cells = await Promise.all(["TN", "FP", "FN", "TP"].map(async (c) => Number((await matrix.locator(`[data-cell="${c}"] span`).first().innerText()).replace(/,/g, ""))));
    expect(cells.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(cells[0]! + cells[3]!).toBeGreaterThan(cells[1]! + cells[2]!);

    // Each curve draws the model and its reference line.
    for (const chart of ["roc", "pr", "calibration"]) {
      const paths = await linePaths(page.locator(`[data-chart="${chart}"]`));
      expect(paths, chart).toHaveLength(2);
    }

    await expect(page.getByRole("heading", { name: "Fairness across region" })).toBeVisible();
    const groups = page.getByRole("table", { name: "Fairness by group" }).locator("[data-group]");
    await expect(groups).toHaveCount(4);
    await expect(groups.first().locator("td").nth(4)).toHaveText(/^0\.\d+$|^[01]$/);
    const ratio = page.locator('[data-fairness-headline="Disparate impact ratio"]');
    await expect(ratio).toContainText(/\d/);
    await expect(page.locator('[data-fairness-headline="Equalized odds difference"]')).toContainText(/\d/);
    await expect(page.getByRole("table", { name: "Slice metrics" }).locator("[data-slice]")).toHaveCount(3);
    await expect(page.locator('[data-chart="robustness-gaussian_noise"]')).toContainText("ROC AUC");
    await expect(page.locator("[data-row-errors]")).toContainText("log losses");
    await shotFromTop(page, shot, "binary-report");

    // Evaluate again on the validation split at another threshold: a new report, polled until done.
    const first = page.url();
    await choose(page, page.locator('[aria-label="Evaluation split"]'), "validation");
    await page.getByLabel("Decision threshold").fill("0.3");
    await page.getByRole("button", { name: "Evaluate", exact: true }).click();
    await expect(page).not.toHaveURL(first);
    await expect(page.getByRole("heading", { name: /Evaluation on deliveries v1 · validation split/ })).toBeVisible();
    await expect(page.locator('[data-evaluation-status="DONE"]')).toBeVisible({ timeout: TRAINING_TIMEOUT });
    await expect(page.getByText("Positive when the score is ≥ 0.3.")).toBeVisible();
    await page.getByRole("link", { name: "logistic-late #1" }).click();
    await expect(page.getByRole("table", { name: "Evaluations" }).locator("[data-evaluation]")).toHaveCount(2);
    await expect(page.locator('[data-metric-row="validation/rocAuc"]')).toBeVisible();
  });
});
