import { expect, test } from "../fixtures";
import { settled } from "../foundation/helpers";
import { createDataset, createProject, shotFromTop } from "./helpers";

test.describe("dataset settings", () => {
  test("rename a dataset and change the split of future versions", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    await createDataset(page, project.id, "events", "Events");
    await page.goto(`${project.datasetsUrl}/events`);
    await page.getByRole("navigation", { name: "Dataset" }).getByRole("link", { name: "Settings" }).click();
    await settled(page);
    const form = page.getByRole("form", { name: "Dataset settings" });
    await expect(form.getByLabel("Train %")).toHaveValue("80");

    await form.getByLabel("Test %").fill("30");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.locator('[data-field-error="dataset-settings-split"]')).toContainText("add up to 1");

    await form.getByLabel("Name").fill("Click events");
    await form.getByLabel("Description").fill("One row per click, from the web tracker.");
    await form.getByLabel("Train %").fill("60");
    await form.getByLabel("Validation %").fill("10");
    await form.getByLabel("Key column (optional)").fill("session_id");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.getByText("Saved.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Click events", level: 2 })).toBeVisible();
    await shotFromTop(page, shot, "saved");

    await page.getByRole("navigation", { name: "Dataset" }).getByRole("link", { name: "Versions" }).click();
    await expect(page.getByText("New versions are split 60% / 10% / 30% by session_id.")).toBeVisible();
    await expect(page.getByText("One row per click, from the web tracker.")).toBeVisible();
    await page.goto(project.datasetsUrl);
    await expect(page.locator('tr[data-dataset="events"]')).toContainText("Click events");
    await expect(page.locator('tr[data-dataset="events"]')).toContainText("no versions yet");
  });
});
