import { expect, PASSWORD, signUpViaApi, test } from "../fixtures";
import { uniqueId } from "./helpers";

test.describe("sign-up and sign-in", () => {
  test("signing up through the form lands on the new organisation", async ({ page, shot }) => {
    const id = uniqueId("ui");
    await page.goto("/sign-up");
    await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();

    await page.getByLabel("Name", { exact: true }).fill(`Ada ${id}`);
    await page.getByLabel("E-mail").fill(`${id}@e2e.test`);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Organisation name (optional)").fill(`Lab ${id}`);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator('[data-field-error="password"]')).toHaveText("must be at least 10 characters");
    await shot("validation");

    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(new RegExp(`/lab-${id}$`));
    await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
    await expect(page.getByText("No projects yet")).toBeVisible();
    await expect(page.getByRole("button", { name: "Switch organisation" })).toContainText(`Lab ${id}`);
    await shot("org-page");

    await page.getByRole("button", { name: "User menu" }).click();
    await expect(page.getByRole("menu")).toContainText(`${id}@e2e.test`);
    await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a wrong password is reported, and repeated failures are throttled", async ({ page, shot }) => {
    const account = await signUpViaApi(page.context().request, "throttle");
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong e-mail or password.");
    await shot("wrong-password");

    let throttled = false;
    for (let attempt = 0; attempt < 12 && !throttled; attempt++) {
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
      throttled = ((await page.getByRole("form", { name: "Sign in" }).getByRole("alert").textContent()) ?? "").includes("Too many failed sign-ins");
    }
    expect(throttled, "throttled after repeated failures").toBe(true);
    await shot("throttled");

    // The right password is refused too while the throttle holds.
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("Too many failed sign-ins");
  });

  test("signing in through the form opens the first organisation", async ({ page }) => {
    const account = await signUpViaApi(page.context().request, "signin");
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`/${account.orgSlug}$`));
    await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  });

  test("visitors without a session are sent to sign-in", async ({ page }) => {
    const account = await signUpViaApi(page.context().request, "anon");
    await page.goto(`/${account.orgSlug}/settings/members`);
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });

  test("another organisation's pages are not found", async ({ page, account, shot }) => {
    const stranger = await signUpViaApi(page.context().request, "stranger");
    const res = await page.goto(`/${stranger.orgSlug}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await shot("not-found");
    expect((await page.goto(`/${account.orgSlug}/no-such-project`))?.status()).toBe(404);
  });
});
