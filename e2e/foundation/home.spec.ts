import { expect, test } from "../fixtures";

test.describe("home page", () => {
  test("sends a signed-in user to their organisation and a visitor to sign-in", async ({ page, account, browser }) => {
    await page.goto("/");
    await expect(page).toHaveURL(new RegExp(`/${account.orgSlug}$`));
    await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();

    const anonymous = await browser.newContext();
    const visitor = await anonymous.newPage();
    await visitor.goto("/");
    await expect(visitor).toHaveURL(/\/sign-in/);
    await anonymous.close();
  });
});
