import { expect, PASSWORD, signInRequest, test } from "../fixtures";

test.describe("account page", () => {
  test("reached from the user menu: sessions listed, other sessions signed out, password changed", async ({ page, account, browser, shot }) => {
    // A second browser of the same person, to be signed out from here.
    const other = await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL });
    await signInRequest(other.request, account.email);

    await page.goto(`/${account.orgSlug}`);
    await page.getByRole("button", { name: "User menu" }).click();
    await page.getByRole("menuitem", { name: "Account" }).click();
    await expect(page).toHaveURL(`/${account.orgSlug}/account`);
    await expect(page).toHaveTitle(/^Account · /);
    const sessions = page.getByRole("table", { name: "Sessions" });
    await expect(sessions.locator('[data-session="current"]')).toContainText("this browser");
    await expect(sessions.locator('[data-session="other"]')).toHaveCount(1);
    await shot("sessions");

    await page.getByRole("button", { name: "Sign out other sessions" }).click();
    await expect(sessions.locator('[data-session="other"]')).toHaveCount(0);
    const me = await other.request.get(`/api/trpc/auth.me?input=${encodeURIComponent(JSON.stringify({ json: null }))}`);
    expect(me.status()).toBe(401);
    await other.close();

    // A wrong current password is named at its field; the right one changes it.
    const form = page.getByRole("form", { name: "Change password" });
    await page.getByLabel("Current password").fill("not the password");
    await page.getByLabel("New password", { exact: true }).fill("a brand new password");
    await page.getByLabel("New password again").fill("a brand new password");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form).toContainText("the current password is not right");
    await shot("wrong-password");
    await page.getByLabel("Current password").fill(PASSWORD);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toContainText("Password changed");

    // The new password signs in; the old one no longer does.
    const fresh = await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL });
    await signInRequest(fresh.request, account.email, "a brand new password");
    await fresh.close();
    const stale = await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL });
    const csrf = (await (await stale.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await stale.request.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email: account.email, password: PASSWORD, json: "true" } });
    const session = (await (await stale.request.get("/api/auth/session")).json()) as { user?: unknown };
    expect(session.user).toBeUndefined();
    await stale.close();
  });
});
