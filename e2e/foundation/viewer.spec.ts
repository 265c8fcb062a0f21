import { addMemberViaInvitation, expect, signInViaApi, signUpViaApi, test, trpc } from "../fixtures";
import { orgIdOf, settled } from "./helpers";

test.describe("viewer role", () => {
  test("a viewer sees the organisation but no enabled write actions", async ({ page, account, shot }) => {
    const orgId = await orgIdOf(page, account.orgSlug);
    await trpc(page.context().request, "mutation", "project.create", { orgId, name: "Fraud model" });
    const viewer = await signUpViaApi(page.context().request, "viewer");
    await addMemberViaInvitation(page.context().request, orgId, viewer, "VIEWER");

    await page.context().clearCookies();
    await signInViaApi(page, viewer.email);

    await page.goto(`/${account.orgSlug}`);
    await settled(page);
    await expect(page.getByText("Fraud model")).toBeVisible();
    await expect(page.getByRole("button", { name: "New project" })).toHaveCount(0);
    await shot("projects");

    await page.goto(`/${account.orgSlug}/settings/members`);
    await settled(page);
    await expect(page.locator(`tr[data-member="${account.email}"]`)).toContainText("owner");
    await expect(page.getByRole("form", { name: "Invite member" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Remove" })).toHaveCount(0);

    await page.goto(`/${account.orgSlug}/settings/tokens`);
    await expect(page.getByText("Admins only")).toBeVisible();
    await expect(page.getByRole("button", { name: "New token" })).toHaveCount(0);

    await page.goto(`/${account.orgSlug}/settings`);
    await expect(page.getByRole("button", { name: "Save" })).toBeDisabled();

    await page.goto(`/${account.orgSlug}/workers`);
    await expect(page.getByRole("button", { name: "Ping the queue" })).toBeDisabled();
    await shot("workers");
  });
});
