import { addMemberViaInvitation, expect, signUpViaApi, test } from "../fixtures";
import { choose, orgIdOf, settled, uniqueId } from "./helpers";

test.describe("members", () => {
  test("change a member's role, and keep the last owner", async ({ page, account, shot }) => {
    const colleague = await signUpViaApi(page.context().request, "colleague");
    await addMemberViaInvitation(page.context().request, await orgIdOf(page, account.orgSlug), colleague, "MEMBER");
    await page.goto(`/${account.orgSlug}/settings/members`);
    await settled(page);
    const row = page.locator(`tr[data-member="${colleague.email}"]`);
    await expect(row).toContainText(colleague.name);
    await expect(row.getByTestId(`role-${colleague.email}`)).toContainText("Member");

    await choose(page, row.getByTestId(`role-${colleague.email}`), "Admin");
    await expect(row.getByTestId(`role-${colleague.email}`)).toContainText("Admin");
    await page.reload();
    await expect(page.locator(`tr[data-member="${colleague.email}"]`).getByTestId(`role-${colleague.email}`)).toContainText("Admin");
    await shot("role-changed");

    // The only owner demoting themselves would orphan the organisation; the server says so.
    const me = page.locator(`tr[data-member="${account.email}"]`);
    await choose(page, me.getByTestId(`role-${account.email}`), "Viewer");
    await expect(page.getByRole("alert").filter({ hasText: "The last owner cannot be demoted" })).toBeVisible();
    await expect(me.getByTestId(`role-${account.email}`)).toContainText("Owner");
    await shot("last-owner-error");
  });

  test("invite an address without an account, then cancel the invitation", async ({ page, account, shot }) => {
    const email = `${uniqueId("newcomer")}@e2e.test`;
    await page.goto(`/${account.orgSlug}/settings/members`);
    await settled(page);
    await expect(page.getByText("No pending invitations")).toBeVisible();

    const invite = page.getByRole("form", { name: "Invite member" });
    await invite.getByLabel("E-mail").fill(email);
    await choose(page, invite.getByTestId("invite-role"), "Viewer");
    await invite.getByRole("button", { name: "Invite" }).click();
    await expect(page.getByText("Invitation created")).toBeVisible();
    await expect(page.getByLabel("Invitation link")).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const row = page.locator(`tr[data-invitation="${email}"]`);
    await expect(row).toContainText("viewer");
    await shot("pending");

    await row.getByRole("button", { name: "Cancel invitation" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel invitation" }).click();
    await expect(row).toHaveCount(0);
    await expect(page.getByText("No pending invitations")).toBeVisible();
  });
});
