import { expect, test } from "../fixtures";
import { choose, settled } from "../foundation/helpers";
import { createDataset, createProject, drawnBars, makeCsv, settledVersion, shotFromTop, uploadViaApi } from "./helpers";

test.describe("compare and lineage", () => {
  test("compare two versions: schema diff, drift statistics and overlaid distributions", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    await createDataset(page, project.id, "customers", "Customers");
    const v1 = await uploadViaApi(page, project.id, "customers", makeCsv({ rows: 500, seed: 1 }));
    const v2 = await uploadViaApi(page, project.id, "customers", makeCsv({ rows: 500, seed: 2, incomeShift: 25_000, withRegion: true, plans: ["basic", "pro"] }), { allowSchemaChange: "1" });
    await settledVersion(page, project.id, v1.id);
    await settledVersion(page, project.id, v2.id);

    await page.goto(`${project.datasetsUrl}/customers/versions/${v2.id}`);
    await settled(page);
    await choose(page, page.locator("[data-compare-picker]"), "v1 · customers.csv");
    await expect(page).toHaveURL(new RegExp(`/compare\\?base=${v1.id}&target=${v2.id}$`));
    await settled(page);
    await expect(page.getByRole("heading", { name: "customers v1 → customers v2" })).toBeVisible();
    await expect(page.locator('[data-schema-change="added"]')).toHaveText("+ region");

    const drift = page.getByRole("table", { name: "Per-column drift" });
    const income = drift.locator('tr[data-compare-column="income"]');
    // The compare job reads both versions in full; the page polls until it is done.
    await expect(income).toHaveAttribute("data-drifted", "true", { timeout: 30_000 });
    await expect(income.locator("td").nth(4)).toContainText("n₁ 500 · n₂ 500");
    await expect(drift.locator('tr[data-compare-column="customer_id"]')).toContainText("skipped: identifier-like");
    await expect(page.locator('[data-category-change="vanished"][data-column="plan"]')).toContainText("plus");
    await expect(drift.locator('tr[data-compare-column="age"]')).not.toHaveAttribute("data-drifted", "true");
    await expect(drift.locator('tr[data-compare-column="plan"] td').nth(6)).toContainText("(");
    await expect(drift.locator('tr[data-compare-column="region"]')).toContainText("added");

    const chart = page.locator('[data-compare-chart="income"]');
    await expect.poll(() => drawnBars(chart)).toBeGreaterThan(10);
    await expect(chart.getByText("target")).toBeVisible();
    await expect.poll(() => drawnBars(page.locator('[data-compare-chart="plan"]'))).toBeGreaterThan(2);
    await shotFromTop(page, shot, "compare");

    await page.getByRole("button", { name: "Swap base and target" }).click();
    await expect(page).toHaveURL(new RegExp(`base=${v2.id}&target=${v1.id}$`));
    await expect(page.locator('[data-schema-change="removed"]')).toContainText("region");
  });

  test("lineage of a derived version: draw, re-centre, change direction and open nodes", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const customers = await createDataset(page, project.id, "customers", "Customers");
    const v1 = await uploadViaApi(page, project.id, "customers", makeCsv({ rows: 300, seed: 4 }));
    await settledVersion(page, project.id, v1.id);
    const transform = { name: "drop-minors", repo: "github.com/acme/etl", commit: "4f2c9e1d0b", params: { minAge: 21 } };
    const clean = await uploadViaApi(page, project.id, "customers-clean", makeCsv({ rows: 250, seed: 5 }), { parents: v1.id, transform: JSON.stringify(transform) });
    const features = await uploadViaApi(page, project.id, "features", makeCsv({ rows: 250, seed: 6 }), { parents: clean.id, transform: JSON.stringify({ name: "encode" }) });
    await settledVersion(page, project.id, features.id);

    await page.goto(`${project.datasetsUrl}/customers/versions/${v1.id}`);
    await page.getByRole("link", { name: "View lineage" }).click();
    await expect(page).toHaveURL(new RegExp(`/lineage\\?kind=dataset_version&id=${v1.id}$`));
    await settled(page);
    const node = (kind: string, id: string) => page.locator(`[data-lineage-node="${kind}:${id}"]`);
    await expect(node("dataset_version", v1.id)).toHaveAttribute("data-root", "true");
    await expect(node("dataset", customers.id)).toBeVisible();
    await expect(node("dataset_version", clean.id)).toBeVisible();
    await expect(node("dataset_version", features.id)).toBeVisible();
    await expect(page.locator('path[data-edge="derived_from"]')).toHaveCount(2);
    await shotFromTop(page, shot, "lineage");

    await page.getByRole("group", { name: "Direction" }).getByRole("button", { name: "Upstream" }).click();
    await expect(page).toHaveURL(/direction=upstream/);
    await expect(node("dataset_version", clean.id)).toHaveCount(0);
    await expect(node("dataset", customers.id)).toBeVisible();
    await page.getByRole("group", { name: "Direction" }).getByRole("button", { name: "Both" }).click();
    await expect(node("dataset_version", clean.id)).toBeVisible();

    await page.getByRole("button", { name: "Centre on customers-clean v1" }).click();
    await expect(page).toHaveURL(new RegExp(`id=${clean.id}`));
    await expect(node("dataset_version", clean.id)).toHaveAttribute("data-root", "true");
    await expect(node("dataset_version", v1.id)).toBeVisible();
    await expect(node("dataset_version", features.id)).toBeVisible();
    await shotFromTop(page, shot, "recentred");

    await page.getByRole("link", { name: "Open features v1" }).click();
    await expect(page).toHaveURL(new RegExp(`/datasets/features/versions/${features.id}$`));
    await expect(page.getByRole("link", { name: "customers-clean v1" })).toBeVisible();
    await page.getByRole("link", { name: "customers-clean v1" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/datasets/customers-clean/versions/${clean.id}$`));
    await expect(page.locator("[data-transform]")).toContainText("drop-minors");
    await expect(page.locator("[data-transform]")).toContainText("@4f2c9e1d0b");
    await expect(page.locator("[data-transform]")).toContainText('{"minAge":21}');

    await page.getByRole("navigation", { name: "Dataset" }).getByRole("link", { name: "Lineage" }).click();
    await expect(page).toHaveURL(/lineage\?kind=dataset&id=/);
    await expect(page.locator('[data-root="true"]')).toHaveAttribute("data-lineage-node", /^dataset:/);
  });
});
