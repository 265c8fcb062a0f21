import { expect, test } from "../fixtures";
import { choose, settled } from "../foundation/helpers";
import { drawnBars, shotFromTop } from "../datasets/helpers";
import { linePaths } from "../runs/helpers";
import { cardValue, expectStatus, openFirstReport, projectWithDeliveries, recordStatuses, statuses, TRAINING_TIMEOUT } from "./helpers";

test.describe("train a model from the UI", () => {
  test("GBDT from the form: queued, running with a live log, finished, evaluated with charts", async ({ page, account, shot }) => {
    test.setTimeout(TRAINING_TIMEOUT * 2);
    const project = await projectWithDeliveries(page, account);

    await page.goto(project.runsUrl);
    await page.getByRole("button", { name: "Train a model" }).click();
    await expect(page).toHaveURL(`${project.runsUrl}/new`);
    await expect(page.getByRole("heading", { name: "Train a model" })).toBeVisible();
    // The project's only dataset and its newest usable version are picked already.
    await expect(page.locator('[aria-label="Dataset"]')).toContainText("Deliveries");
    await expect(page.locator('[data-version="1"] input[type="radio"]')).toBeChecked();
    await choose(page, page.locator('[aria-label="Target column"]'), "minutes");
    // Every other column is a feature by default, except the identifier, which starts unticked and says why;
    // the label derived from the target is the user's call.
    await expect(page.getByLabel("Use delivery_id")).not.toBeChecked();
    await expect(page.locator('[data-feature="delivery_id"] [data-advice="identifier"]')).toBeVisible();
    await expect(page.getByLabel("Use late")).toBeChecked();
    await page.getByLabel("Use late").uncheck();
    await expect(page.getByText("(6 of 8 used")).toBeVisible();
    await expect(page.locator('[data-feature="distance_km"]')).toContainText("numeric");
    await expect(page.locator('[data-feature="vehicle"]')).toContainText("categorical");

    // Defaults are pre-filled; an out-of-range value comes back with the server's message at its field.
    await expect(page.locator("#param-rounds")).toHaveValue("200");
    await expect(page.locator("#param-learningRate")).toHaveValue("0.1");
    await page.locator("#param-rounds").fill("0");
    await page.getByRole("button", { name: "Start training" }).click();
    await expect(page.locator('[data-field-error="param-rounds"]')).toContainText("Too small");
    await expect(page.getByRole("alert").filter({ hasText: "Invalid gbdt params: rounds" })).toBeVisible();
    await page.locator("#param-rounds").fill("400");
    await page.locator("#param-learningRate").fill("0.05");

    await page.locator("#train-experiment").fill("Delivery ETA");
    await page.locator("#train-name").fill("gbdt-from-form");
    // Slicing by the target or an identifier says nothing: neither is offered.
    await page.locator('[aria-label="Slice column"]').getByRole("button").first().click();
    await expect(page.getByRole("option", { name: "region", exact: true })).toBeVisible();
    await expect(page.getByRole("option", { name: "minutes", exact: true })).toHaveCount(0);
    await expect(page.getByRole("option", { name: "delivery_id", exact: true })).toHaveCount(0);
    await page.keyboard.press("Escape");
    await choose(page, page.locator('[aria-label="Slice column"]'), "vehicle");
    await choose(page, page.locator('[aria-label="Sensitive column"]'), "region");
    await shotFromTop(page, shot, "form");

    await recordStatuses(page);
    await page.getByRole("button", { name: "Start training" }).click();
    await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
    await expect(page.getByRole("heading", { name: "gbdt-from-form" })).toBeVisible();

    // The live log shows the worker's system lines and the trainer's output while the run is going.
    const log = page.getByRole("log", { name: "Run log" });
    await expect(log.locator('[data-stream="system"]').first()).toContainText(/attempt 1 on /, { timeout: TRAINING_TIMEOUT });
    await expect.poll(() => statuses(page), { timeout: TRAINING_TIMEOUT }).toContain("RUNNING");
    await shotFromTop(page, shot, "running");

    await expectStatus(page, "FINISHED");
    const seen = await statuses(page);
    // QUEUED lasts only until the worker picks the job up, which may be before the page's first look.
    expect(seen.filter((s) => s !== "QUEUED")).toEqual(["RUNNING", "FINISHED"]);
    for (const step of ["queued", "started", "ended"]) await expect(page.locator(`[data-step="${step}"]`)).toHaveAttribute("data-done", "true");
    await expect(page.locator("[data-progress]")).toHaveText("100%");
    await expect(log).toContainText("built-in gbdt trainer");
    await expect(log).toContainText("wrote model.onnx");
    await expect(log.locator('[data-stream="system"]').last()).toContainText("finished");
    await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

    await openFirstReport(page);
    await settled(page);
    const rmse = await cardValue(page, "rmse");
    const r2 = await cardValue(page, "r2");
    expect(rmse).toBeGreaterThan(0);
    expect(rmse).toBeLessThan(10);
    expect(r2).toBeGreaterThan(0.7);
    await expect(page.getByRole("heading", { name: /Evaluation on deliveries v1 · test split/ })).toBeVisible();
    expect(await drawnBars(page.locator('[data-chart="residuals"]'))).toBeGreaterThan(5);
    expect(await drawnBars(page.locator('[data-chart="slices"]'))).toBe(3);
    await expect(page.getByRole("table", { name: "Slice metrics" }).locator("[data-slice]")).toHaveCount(3);
    await expect(page.getByRole("heading", { name: "Fairness across region" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Fairness by group" }).locator("[data-group]")).toHaveCount(4);
    await expect(page.locator('[data-fairness-headline="RMSE gap"]')).toBeVisible();
    const noise = await linePaths(page.locator('[data-chart="robustness-gaussian_noise"]'));
    expect(noise.length).toBeGreaterThan(0);
    const missing = await linePaths(page.locator('[data-chart="robustness-missing"]'));
    expect(missing.length).toBeGreaterThan(1);
    // The probes say which rows their baseline was computed on.
    const sampleNote = page.locator("[data-robustness-sample]");
    await expect(sampleNote).toContainText(/Computed on (all [\d,]+ scored rows|a seeded sample of [\d,]+ of the [\d,]+ scored rows)/);
    await sampleNote.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/screenshots/robustness-sample-note.png" });
    await expect(page.locator("[data-row-errors]")).toContainText(/all [\d,]+ rows/);
    // Predicted vs actual (one dot per test row here) and feature importance: permutation and the GBDT's gain.
    await expect(page.locator('[data-chart="predicted-vs-actual"] .recharts-scatter-symbol').first()).toBeVisible();
    const permutation = page.locator('[data-chart="permutation-importance"]');
    await expect(permutation).toContainText("distance_km");
    await expect(page.locator('[data-chart="gain-importance"]')).toContainText("%");
    await permutation.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/screenshots/feature-importance.png" });
    await shotFromTop(page, shot, "report");

    // The evaluation's headline numbers are logged on the run as test/… metrics.
    await page.getByRole("link", { name: /gbdt-from-form #1/ }).click();
    await expect(page.locator('[data-metric-row="test/rmse"]')).toBeVisible();
  });
});
