import { expect, test } from "../fixtures";
import { choose, settled } from "../foundation/helpers";
import { createDataset, createProject, makeCsv, settledVersion, shotFromTop, uploadViaApi } from "./helpers";

test.describe("data contracts", () => {
  test("propose a contract from a version, edit and save it; a violating upload fails validation", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const dataset = await createDataset(page, project.id, "customers", "Customers");
    const v1 = await uploadViaApi(page, project.id, "customers", makeCsv({ rows: 400, ageMax: 75 }));
    await settledVersion(page, project.id, v1.id);

    await page.goto(`${project.datasetsUrl}/customers/contract`);
    await settled(page);
    await expect(page.getByText("no contract yet")).toBeVisible();
    await page.getByRole("button", { name: "Propose from version 1" }).click();
    await expect(page.getByText("Proposed from version 1")).toBeVisible();
    const list = page.getByRole("list", { name: "Expectations" });
    const ageRange = list.locator('li[data-expectation-row="value_range"][data-column="age"]');
    await expect(ageRange).toBeVisible();
    await expect(list.locator('li[data-expectation-row="allowed_values"][data-column="plan"] textarea')).toHaveValue(/basic/);
    await expect(page.getByText("unsaved changes")).toBeVisible();

    // Loosen the proposed upper bound to a round limit, and make a mistake the server must catch.
    await ageRange.getByLabel("Max (empty: none)").fill("99");
    const missing = list.locator('li[data-expectation-row="max_missing_share"][data-column="income"]');
    await missing.getByLabel("Max share (0–1)").fill("2");
    await page.getByRole("button", { name: "Save contract" }).click();
    await expect(page.locator("[data-save-error]")).toContainText("The contract was not saved");
    await expect(missing.locator("[data-row-errors]")).toContainText("max:");
    await shotFromTop(page, shot, "zod-error");

    await missing.getByLabel("Max share (0–1)").fill("0.1");
    const rows = list.locator("li[data-expectation-row]");
    const before = await rows.count();
    await expect(rows.nth(1)).toHaveAttribute("data-expectation-row", "no_removed_columns");
    await page.getByRole("button", { name: "Remove expectation 2", exact: true }).click();
    await expect(rows).toHaveCount(before - 1);
    await expect(list.locator('li[data-expectation-row="no_removed_columns"]')).toHaveCount(0);
    await choose(page, page.locator('[aria-label="Kind of expectation to add"]'), "Unique");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const added = list.locator("li[data-expectation-row]").last();
    await expect(added).toHaveAttribute("data-expectation-row", "unique");
    await added.getByLabel("Column").fill("customer_id");
    await page.getByRole("button", { name: "Save contract" }).click();
    await expect(page.locator("[data-contract-revision]")).toHaveAttribute("data-contract-revision", "1");
    await expect(page.locator("[data-contract-revision]")).toContainText(`saved by ${account.email}`);
    await expect(page.getByText("unsaved changes")).toHaveCount(0);
    await expect(list.locator('li[data-expectation-row="value_range"][data-column="age"]').getByLabel("Max (empty: none)")).toHaveValue("99");
    await shotFromTop(page, shot, "saved");

    // Saving re-validates the newest version against the new revision.
    await expect.poll(async () => (await settledVersion(page, project.id, v1.id)).validation).toBe("PASSED");

    await page.goto(`${project.datasetsUrl}/customers`);
    const violating = makeCsv({ rows: 400, seed: 9, ageMax: 120, plans: ["basic", "plus", "pro", "enterprise"] });
    await page.locator("#version-file").setInputFiles({ name: "customers-v2.csv", mimeType: "text/csv", buffer: Buffer.from(violating) });
    await expect(page.getByText("Uploaded as version 2")).toBeVisible();
    const row2 = page.locator('tr[data-version="2"]');
    await expect(row2.locator("[data-validation]")).toHaveAttribute("data-validation", "FAILED");
    await expect(page.locator('tr[data-version="1"] [data-validation]')).toHaveAttribute("data-validation", "PASSED");
    await shotFromTop(page, shot, "failed-version");

    await row2.getByRole("link", { name: "v2", exact: true }).click();
    await settled(page);
    const report = page.getByRole("table", { name: "Validation report" });
    const ageFail = report.locator('tr[data-expectation="value_range"][data-column="age"]');
    await expect(ageFail).toHaveAttribute("data-passed", "false");
    await expect(ageFail.locator("[data-observed]")).toContainText(/max: 1[0-2]\d/);
    await expect(ageFail).toContainText(/outside \[\d+, 99\]/);
    const planFail = report.locator('tr[data-expectation="allowed_values"][data-column="plan"]');
    await expect(planFail).toHaveAttribute("data-passed", "false");
    await expect(planFail).toContainText('"enterprise"');
    await expect(page.locator("[data-report-summary]")).toContainText("failed");
    await page.getByLabel("Failures only").check();
    await expect(report.locator('tr[data-passed="true"]')).toHaveCount(0);
    await shotFromTop(page, shot, "report");

    await page.getByRole("button", { name: "Re-run validation" }).click();
    await expect(page.locator("h3 [data-validation]")).toHaveAttribute("data-validation", "FAILED");
    await expect(report.locator('tr[data-expectation="value_range"][data-column="age"]')).toHaveAttribute("data-passed", "false");
    expect(dataset.slug).toBe("customers");
  });
});
