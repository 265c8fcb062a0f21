import { request as playwrightRequest } from "@playwright/test";
import { expect, signInRequest, test } from "../fixtures";

/** The signed-in user according to the server, for a request context that carries only `cookies`. */
async function meWith(cookies: { name: string; value: string }[]): Promise<number> {
  const fresh = await playwrightRequest.newContext({
    baseURL: process.env.CAIRN_E2E_URL,
    extraHTTPHeaders: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
  });
  try {
    return (await fresh.get(`/api/trpc/auth.me?input=${encodeURIComponent(JSON.stringify({ json: null }))}`)).status();
  } finally {
    await fresh.dispose();
  }
}

const sessionCookies = (cookies: { name: string; value: string }[]) => cookies.filter((c) => c.name.includes("session-token"));

test.describe("sessions", () => {
  test("after signing out, a copy of the old session cookie no longer works", async ({ page, account }) => {
    await page.goto(`/${account.orgSlug}`);
    const copied = sessionCookies(await page.context().cookies());
    expect(copied).toHaveLength(1);
    expect(await meWith(copied)).toBe(200);

    await page.getByRole("button", { name: "User menu" }).click();
    await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect(await meWith(copied)).toBe(401);
  });

  test("signing out everywhere ends the sessions of other browsers too", async ({ page, account, browser, shot }) => {
    // A second browser of the same person.
    const other = await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL });
    await signInRequest(other.request, account.email);
    const otherPage = await other.newPage();
    await otherPage.goto(`/${account.orgSlug}`);
    await expect(otherPage.getByRole("heading", { name: "Projects" })).toBeVisible();

    const mine = sessionCookies(await page.context().cookies());
    await page.goto(`/${account.orgSlug}`);
    await page.getByRole("button", { name: "User menu" }).click();
    await expect(page.getByRole("menuitem", { name: "Sign out everywhere" })).toBeVisible();
    await shot("user-menu");
    await page.getByRole("menuitem", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect(await meWith(mine)).toBe(401);

    // The other browser still holds its cookie, but the server no longer accepts it.
    expect(sessionCookies(await other.cookies())).toHaveLength(1);
    await otherPage.goto(`/${account.orgSlug}/settings/members`);
    await expect(otherPage).toHaveURL(/\/sign-in/);
    await other.close();
  });
});
