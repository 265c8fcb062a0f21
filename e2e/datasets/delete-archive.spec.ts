import { expect, test, trpc } from "../fixtures";
import { settled } from "../foundation/helpers";
import { createDataset, createProject, makeCsv, shotFromTop, uploadViaApi } from "./helpers";

test.describe("archive and delete", () => {
  test("a version a run was trained on is refused, then deleted with the run; a dataset is archived, unarchived and deleted", async ({ page, account, shot }) => {
    // Many page loads in one story; a busy CI machine needs more than the default minute.
    test.setTimeout(180_000);
    const project = await createProject(page, account);
    const request = page.context().request;
    const dataset = await createDataset(page, project.id, "customers", "Customers");
    const version = await uploadViaApi(page, project.id, "customers", makeCsv({ rows: 50 }));
    const run = await trpc<{ id: string; number: number }>(request, "mutation", "run.create", { projectId: project.id, name: "baseline", inputs: [version.id] });
    await trpc(request, "mutation", "run.finish", { projectId: project.id, runId: run.id });
    const runsUrl = project.datasetsUrl.replace(/\/datasets$/, "/runs");

    // The version page offers deletion; the server refuses while the run depends on it, and says why.
    await page.goto(`${project.datasetsUrl}/customers/versions/${version.id}`);
    await settled(page);
    await page.getByRole("button", { name: "Delete version" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Delete for good" }).click();
    await expect(dialog).toContainText(`run #${run.number} baseline (experiment Default) was trained on it`);
    await shotFromTop(page, shot, "version-delete-refused");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Archive the run: it leaves the runs list until "Show archived".
    await page.goto(`${runsUrl}/${run.id}`);
    await settled(page);
    await page.getByRole("button", { name: "Archive", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Archive", exact: true }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(page.getByText("Archived", { exact: true })).toBeVisible();
    await shotFromTop(page, shot, "run-archived");
    await page.goto(runsUrl);
    await settled(page);
    await expect(page.getByText("0 runs")).toBeVisible();
    await page.getByRole("switch", { name: "Show archived" }).check();
    await expect(page.locator("[data-archived]")).toHaveCount(1);

    // Delete the run from its page, then the version goes.
    await page.goto(`${runsUrl}/${run.id}`);
    await settled(page);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete for good" }).click();
    await expect(page).toHaveURL(new RegExp(`${runsUrl}$`));
    await page.goto(`${project.datasetsUrl}/customers/versions/${version.id}`);
    await settled(page);
    await page.getByRole("button", { name: "Delete version" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete for good" }).click();
    await expect(page).toHaveURL(new RegExp(`${project.datasetsUrl}/customers$`));
    expect(await trpc<unknown[]>(request, "query", "dataset.versions", { projectId: project.id, datasetId: dataset.id })).toEqual([]);

    // Archive hides the dataset from the list until "Show archived"; unarchive brings it back.
    await page.goto(`${project.datasetsUrl}/customers/settings`);
    await settled(page);
    await page.getByRole("button", { name: "Archive dataset", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Archive dataset", exact: true }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(page.getByText("Archived", { exact: true })).toBeVisible();
    await page.goto(project.datasetsUrl);
    await settled(page);
    await expect(page.locator('tr[data-dataset="customers"]')).toHaveCount(0);
    await page.getByRole("switch").check();
    await expect(page.locator('tr[data-dataset="customers"]')).toContainText("Archived");
    await shotFromTop(page, shot, "archived-shown");
    await page.goto(`${project.datasetsUrl}/customers/settings`);
    await settled(page);
    await page.getByRole("button", { name: "Unarchive dataset" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Unarchive dataset" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(page.getByRole("button", { name: "Archive dataset", exact: true })).toBeVisible();
    await shotFromTop(page, shot, "settings-danger-zone");

    await page.getByRole("button", { name: "Delete dataset" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete for good" }).click();
    await expect(page).toHaveURL(new RegExp(`${project.datasetsUrl}$`));
    await expect(page.locator('tr[data-dataset="customers"]')).toHaveCount(0);
  });
});
