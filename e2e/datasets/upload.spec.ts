import { expect, test } from "../fixtures";
import { settled, uniqueId } from "../foundation/helpers";
import { createDataset, createProject, drawnBars, makeCsv, shotFromTop, uploadViaApi, versionCount } from "./helpers";

test.describe("dataset uploads", () => {
  test("create a dataset through the form, upload a CSV with the file picker and see its profile", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    await page.goto(`/${account.orgSlug}/${project.slug}`);
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Datasets" }).click();
    await expect(page.getByText("No datasets yet")).toBeVisible();
    await shotFromTop(page, shot, "empty");

    await page.getByRole("button", { name: "New dataset" }).first().click();
    const form = page.getByRole("form", { name: "New dataset" });
    await form.getByLabel("Train %").fill("70");
    await form.getByRole("button", { name: "Create dataset" }).click();
    await expect(form.locator('[data-field-error="dataset-name"]')).toHaveText("must not be empty");
    await expect(form.locator('[data-field-error="dataset-split"]')).toContainText("add up to 1");
    await form.getByLabel("Name").fill("Customers");
    await form.getByLabel("URL slug (optional)").fill("customers");
    await form.getByLabel("Train %").fill("80");
    await form.getByLabel("Key column (optional)").fill("customer_id");
    await form.getByRole("button", { name: "Create dataset" }).click();
    await expect(page).toHaveURL(new RegExp(`/datasets/customers$`));
    await expect(page.getByText("No versions yet")).toBeVisible();

    await page.locator("#version-file").setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(makeCsv({ rows: 400 })) });
    const progress = page.getByRole("progressbar", { name: "Upload progress" });
    await expect(progress).toHaveAttribute("aria-valuenow", "100");
    await expect(page.getByText("Uploaded as version 1")).toBeVisible();
    const row = page.locator('tr[data-version="1"]');
    await expect(row.locator("[data-profile]")).toHaveAttribute("data-profile", "READY");
    await expect(row.locator("[data-validation]")).toHaveAttribute("data-validation", "NO_CONTRACT");
    await expect(row).toContainText("400");
    await shotFromTop(page, shot, "uploaded");

    await row.getByRole("link", { name: "v1", exact: true }).click();
    await settled(page);
    await expect(page.getByRole("heading", { name: /Version 1/ })).toBeVisible();
    const schema = page.getByRole("table", { name: "Schema" });
    await expect(schema.locator("tr[data-column]")).toHaveCount(6);
    await expect(schema.locator('tr[data-column="age"]')).toContainText("integer");
    await expect(schema.locator('tr[data-column="plan"]')).toContainText("categorical");
    await expect(schema.locator('tr[data-column="signup"]')).toContainText("datetime");
    const splits = page.getByRole("list", { name: "Splits" });
    await expect(splits.locator('[data-split="train"] [data-split-count]')).not.toHaveText("—");
    await expect(splits.getByRole("link", { name: "Download test split as CSV" })).toHaveAttribute("href", /splits\/test\?format=csv$/);

    const age = page.locator('[data-profile-column="age"]');
    await expect.poll(() => drawnBars(age)).toBeGreaterThan(5);
    await expect(age.getByLabel("Quantiles of age")).toContainText("p99");
    await expect(page.locator('[data-profile-column="plan"]')).toContainText("basic");
    await expect.poll(() => drawnBars(page.locator('[data-profile-column="signup"]'))).toBeGreaterThan(5);

    const download = page.waitForEvent("download");
    await splits.getByRole("link", { name: "Download validation split as CSV" }).click();
    expect((await download).suggestedFilename()).toBe("v1-validation.csv");
    await shotFromTop(page, shot, "version-profile");
  });

  test("drag and drop uploads a file; the same bytes again are recognised", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    await createDataset(page, project.id, "events");
    await page.goto(`${project.datasetsUrl}/events`);
    const csv = makeCsv({ rows: 300, seed: 7 });
    const drop = async () => {
      const dataTransfer = await page.evaluateHandle((text) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], "events.csv", { type: "text/csv" }));
        return dt;
      }, csv);
      const zone = page.getByRole("region", { name: "Upload a new version" });
      await zone.dispatchEvent("dragenter", { dataTransfer });
      await expect(zone).toHaveAttribute("data-dragging", "true");
      await zone.dispatchEvent("drop", { dataTransfer });
    };
    await drop();
    await expect(page.getByText("Uploaded as version 1")).toBeVisible();
    await expect(page.locator('tr[data-version="1"] [data-profile]')).toHaveAttribute("data-profile", "READY");

    await drop();
    await expect(page.getByText("Uploaded again: identical to version 1")).toBeVisible();
    await expect(page.locator("tr[data-version]")).toHaveCount(1);
    await shotFromTop(page, shot, "identical");
  });

  test("a version uploaded while the list is still loading shows up in it", async ({ page, account }) => {
    const project = await createProject(page, account);
    await createDataset(page, project.id, "early");
    // Hold the page's first answer for its versions (computed before the upload) until the upload is
    // done: the page must ask again rather than settle for that stale answer.
    let release = () => {};
    const uploaded = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    await page.route(/\/api\/trpc\/[^?]*dataset\.versions/, async (route) => {
      if (held) return route.continue();
      held = true;
      const response = await route.fetch();
      await uploaded;
      // The page may have given up on this request by now.
      await route.fulfill({ response }).catch(() => undefined);
    });
    await page.goto(`${project.datasetsUrl}/early`);
    await page.locator("#version-file").setInputFiles({ name: "early.csv", mimeType: "text/csv", buffer: Buffer.from(makeCsv({ rows: 50, seed: 5 })) });
    await expect(page.getByText("Uploaded as version 1")).toBeVisible();
    expect(held).toBe(true);
    release();
    await expect(page.locator('tr[data-version="1"]')).toBeVisible();
    await expect(page.getByText("No versions yet")).toHaveCount(0);
  });

  test("cancelling an upload leaves no version", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const dataset = await createDataset(page, project.id, uniqueId("big"));
    await page.goto(`${project.datasetsUrl}/${dataset.slug}`);
    // A slow link keeps the upload in flight long enough to cancel it half-way.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    const csv = makeCsv({ rows: 40_000, seed: 3 });
    await page.locator("#version-file").setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    const progress = page.getByRole("progressbar", { name: "Upload progress" });
    await expect.poll(async () => Number(await progress.getAttribute("aria-valuenow"))).toBeGreaterThan(0);
    expect(Number(await progress.getAttribute("aria-valuenow"))).toBeLessThan(100);
    await shotFromTop(page, shot, "in-flight");
    await page.getByRole("button", { name: "Cancel upload" }).click();
    await expect(page.getByText("Upload cancelled; nothing was stored.")).toBeVisible();
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // Give the server time to notice the aborted body before asking.
    await page.waitForTimeout(1_500);
    expect(await versionCount(page, project.id, dataset.id)).toBe(0);
    await page.reload();
    await expect(page.getByText("No versions yet")).toBeVisible();
  });

  test("a ragged CSV is refused with the server's message", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const dataset = await createDataset(page, project.id, "ragged");
    await page.goto(`${project.datasetsUrl}/ragged`);
    const ragged = "a,b,c\n1,2,3\n4,5\n6,7,8\n";
    await page.locator("#version-file").setInputFiles({ name: "ragged.csv", mimeType: "text/csv", buffer: Buffer.from(ragged) });
    const alert = page.locator('[data-upload-phase="failed"]').getByRole("alert");
    await expect(alert).toContainText("Malformed CSV");
    await shotFromTop(page, shot, "error");
    expect(await versionCount(page, project.id, dataset.id)).toBe(0);
    await expect(page.getByText("No versions yet")).toBeVisible();
  });

  test("a file with other columns is refused until the schema change is allowed, then marked in the list", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const dataset = await createDataset(page, project.id, "schema");
    await uploadViaApi(page, project.id, "schema", makeCsv({ rows: 100, seed: 1 }));
    await page.goto(`${project.datasetsUrl}/schema`);
    await expect(page.locator('tr[data-version="1"]')).toBeVisible();
    const widened = makeCsv({ rows: 100, seed: 2, withRegion: true }).replace("churned", "cancelled");
    const file = { name: "schema-v2.csv", mimeType: "text/csv", buffer: Buffer.from(widened) };
    await page.locator("#version-file").setInputFiles(file);
    const alert = page.locator('[data-upload-phase="failed"]').getByRole("alert");
    await expect(alert).toContainText('differ from version 1: added "cancelled", "region"; removed "churned"');
    await expect(alert).toContainText("allowSchemaChange=1");
    await shotFromTop(page, shot, "schema-refused");
    expect(await versionCount(page, project.id, dataset.id)).toBe(1);

    await page.getByLabel("Allow a schema change (columns added or removed since the latest version)").check();
    await page.locator("#version-file").setInputFiles(file);
    await expect(page.getByText("Uploaded as version 2")).toBeVisible();
    const badge = page.locator('tr[data-version="2"] [data-schema-change]');
    await expect(badge).toHaveText("schema changed: +cancelled, +region, -churned");
    await expect(page.locator('tr[data-version="1"] [data-schema-change]')).toHaveCount(0);
    await shotFromTop(page, shot, "schema-changed");
    await page.locator('tr[data-version="2"]').getByRole("link", { name: "v2", exact: true }).click();
    await expect(page.getByRole("heading", { name: /Version 2/ }).locator("[data-schema-change]")).toHaveText("schema changed: +cancelled, +region, -churned");
  });
});
