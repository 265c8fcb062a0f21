import { expect, PASSWORD, signInRequest, signUpViaApi, test, trpc } from "../fixtures";
import { orgIdOf, settled, uniqueId } from "./helpers";

test.describe("invitations", () => {
  test("a new person joins through the invitation link, and only through it", async ({ page, account, browser, shot }) => {
    const email = `${uniqueId("invitee")}@e2e.test`;
    await page.goto(`/${account.orgSlug}/settings/members`);
    await settled(page);
    const invite = page.getByRole("form", { name: "Invite member" });
    await invite.getByLabel("E-mail").fill(email);
    await invite.getByRole("button", { name: "Invite" }).click();
    const linkField = page.getByLabel("Invitation link");
    await expect(linkField).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const link = await linkField.inputValue();
    await expect(page.locator(`tr[data-invitation="${email}"]`)).toBeVisible();
    await shot("link-shown-once");

    // The invitee, in a browser of their own.
    const theirs = await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL });
    const invitee = await theirs.newPage();
    await invitee.goto(new URL(link).pathname);
    await expect(invitee.getByRole("heading", { name: /^Join / })).toBeVisible();
    await expect(invitee.getByText(`${account.email} invited ${email} to join as member.`)).toBeVisible();
    await invitee.screenshot({ path: "test-results/screenshots/invitations-landing.png", fullPage: true });
    await invitee.getByRole("link", { name: "Create an account and join" }).click();
    await expect(invitee.getByText("You join the organisation that invited you.")).toBeVisible();
    await expect(invitee.getByLabel("E-mail")).toHaveValue(email);
    await expect(invitee.getByLabel("Organisation name (optional)")).toHaveCount(0);
    await invitee.getByLabel("Name", { exact: true }).fill("Invited Person");
    await invitee.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await invitee.screenshot({ path: "test-results/screenshots/invitations-sign-up.png", fullPage: true });
    await invitee.getByRole("button", { name: "Create account" }).click();
    await expect(invitee).toHaveURL(new RegExp(`/${account.orgSlug}$`));
    await expect(invitee.getByRole("heading", { name: "Projects" })).toBeVisible();

    // Used once: the link now leads nowhere.
    await invitee.goto(new URL(link).pathname);
    await expect(invitee.getByRole("heading", { name: "This invitation link does not work" })).toBeVisible();
    await invitee.screenshot({ path: "test-results/screenshots/invitations-used-link.png", fullPage: true });
    await theirs.close();

    await page.reload();
    await settled(page);
    await expect(page.locator(`tr[data-member="${email}"]`)).toContainText("Invited Person");
    await expect(page.locator(`tr[data-invitation="${email}"]`)).toHaveCount(0);
  });

  test("someone with an account is asked, accepts from their invitations, and a viewer sees no pending addresses", async ({ page, account, shot }) => {
    const orgId = await orgIdOf(page, account.orgSlug);
    const colleague = await signUpViaApi(page.context().request, "colleague");
    const viewer = await signUpViaApi(page.context().request, "viewer");
    await trpc(page.context().request, "mutation", "member.invite", { orgId, email: colleague.email, role: "ADMIN" });
    const pending = `${uniqueId("pending")}@e2e.test`;
    await trpc(page.context().request, "mutation", "member.invite", { orgId, email: pending, role: "MEMBER" });
    const { link } = await trpc<{ link: string }>(page.context().request, "mutation", "member.invite", { orgId, email: viewer.email, role: "VIEWER" });

    // The viewer joins through their link while signed in.
    await page.context().clearCookies();
    await signInRequest(page.context().request, viewer.email);
    await page.goto(new URL(link).pathname);
    await page.getByRole("button", { name: /^Accept and join/ }).click();
    await expect(page).toHaveURL(new RegExp(`/${account.orgSlug}$`));
    await page.goto(`/${account.orgSlug}/settings/members`);
    await settled(page);
    await expect(page.locator(`tr[data-member="${viewer.email}"]`)).toBeVisible();
    await expect(page.getByText(pending)).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Pending invitations" })).toHaveCount(0);
    await shot("viewer-members");

    // The colleague was not added; the invitation waits on their side.
    await page.context().clearCookies();
    await signInRequest(page.context().request, colleague.email);
    expect((await page.goto(`/${account.orgSlug}`))?.status()).toBe(404);
    await page.goto(`/${colleague.orgSlug}`);
    await page.getByRole("button", { name: "Switch organisation" }).click();
    await page.getByRole("menuitem", { name: /Invitations/ }).click();
    await expect(page.getByRole("heading", { name: "Your invitations" })).toBeVisible();
    const item = page.locator("li[data-invitation]");
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(account.email);
    await shot("my-invitations");
    await item.getByRole("button", { name: "Accept" }).click();
    await expect(page).toHaveURL(new RegExp(`/${account.orgSlug}$`));
    await expect(page.getByRole("button", { name: "Switch organisation" })).toBeVisible();
  });
});
