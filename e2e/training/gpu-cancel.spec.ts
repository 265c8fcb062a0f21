import { expect, test } from "../fixtures";
import { choose, settled } from "../foundation/helpers";
import { shotFromTop } from "../datasets/helpers";
import { expectStatus, projectWithDeliveries } from "./helpers";

test.describe("GPU runs without a GPU worker", () => {
  test("a GPU run started from the version page waits for a GPU worker and can be cancelled", async ({ page, account, shot }) => {
    const project = await projectWithDeliveries(page, account, 300);

    await page.goto(`${project.base}/datasets/${project.datasetSlug}/versions/${project.versionId}`);
    await settled(page);
    await page.getByRole("link", { name: "Train on this version" }).click();
    await expect(page).toHaveURL(`${project.runsUrl}/new?dataset=${project.datasetId}&version=${project.versionId}`);
    // The version comes preselected from the link.
    await expect(page.locator('[data-version="1"] input[type="radio"]')).toBeChecked();
    await choose(page, page.locator('[aria-label="Target column"]'), "minutes");
    await page.getByRole("radio", { name: "Ridge regression" }).check();
    await expect(page.locator("#param-alpha")).toHaveValue("1");
    await page.getByRole("radio", { name: "GPU" }).check();
    await page.locator("#train-name").fill("needs-a-gpu");
    await page.getByRole("button", { name: "Start training" }).click();
    await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);

    const waiting = page.locator('[data-waiting="gpu-worker"]');
    await expect(waiting).toContainText("Waiting for a GPU worker");
    await expect(waiting).toContainText("train.gpu");
    await expectStatus(page, "QUEUED", 5_000);
    await expect(page.locator('[data-step="started"]')).toHaveAttribute("data-done", "false");
    await expect(page.getByRole("log", { name: "Run log" })).toContainText("Waiting for the first lines");
    await shotFromTop(page, shot, "waiting-for-gpu");

    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel run" }).click();
    await expectStatus(page, "KILLED", 15_000);
    await expect(waiting).toHaveCount(0);
    await expect(page.locator("[data-run-error]")).toContainText("cancelled before it started");
    await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
    // The header (run.get) follows the panel without a reload.
    await expect(page.locator('[data-status="KILLED"]').first()).toBeVisible();
    await shotFromTop(page, shot, "cancelled");
  });
});
