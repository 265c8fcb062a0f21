import { addMemberViaInvitation, expect, signInViaApi, signUpViaApi, test } from "../fixtures";
import { orgIdOf, settled } from "../foundation/helpers";
import { createDataset, createProject, makeCsv, settledVersion, shotFromTop, uploadViaApi } from "./helpers";

test.describe("datasets for a viewer", () => {
  test("a viewer can browse datasets but has no enabled write actions", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    await createDataset(page, project.id, "customers", "Customers");
    const v1 = await uploadViaApi(page, project.id, "customers", makeCsv({ rows: 200 }));
    await settledVersion(page, project.id, v1.id);
    const viewer = await signUpViaApi(page.context().request, "viewer");
    await addMemberViaInvitation(page.context().request, await orgIdOf(page, account.orgSlug), viewer, "VIEWER");
    await page.context().clearCookies();
    await signInViaApi(page, viewer.email);

    await page.goto(project.datasetsUrl);
    await settled(page);
    await expect(page.locator('tr[data-dataset="customers"]')).toContainText("v1");
    await expect(page.getByRole("button", { name: "New dataset" })).toHaveCount(0);
    await shotFromTop(page, shot, "list");

    await page.getByRole("link", { name: "Customers" }).click();
    await settled(page);
    await expect(page.getByText("Read-only")).toBeVisible();
    await expect(page.getByRole("region", { name: "Upload a new version" })).toHaveCount(0);
    await expect(page.locator('tr[data-version="1"]')).toBeVisible();
    await shotFromTop(page, shot, "dataset");

    await page.locator('tr[data-version="1"]').getByRole("link", { name: "v1", exact: true }).click();
    await settled(page);
    await expect(page.getByRole("button", { name: "Re-run validation" })).toBeDisabled();

    await page.goto(`${project.datasetsUrl}/customers/contract`);
    await settled(page);
    await expect(page.getByRole("button", { name: /Propose from/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Save contract" })).toHaveCount(0);

    await page.goto(`${project.datasetsUrl}/customers/settings`);
    await settled(page);
    await expect(page.getByRole("button", { name: "Save changes" })).toBeDisabled();
    await expect(page.getByLabel("Name")).toBeDisabled();

    const upload = await page.context().request.put(`/api/v1/projects/${project.id}/datasets/customers/versions?fileName=x.csv`, { data: Buffer.from("a,b\n1,2\n") });
    expect(upload.status()).toBe(403);
  });
});
