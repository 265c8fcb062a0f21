import { expect, test } from "../fixtures";
import { uniqueId } from "./helpers";

test.describe("organisations", () => {
  test("rename the organisation; the header follows", async ({ page, account, shot }) => {
    await page.goto(`/${account.orgSlug}/settings`);
    const form = page.getByRole("form", { name: "Organisation settings" });
    await form.getByLabel("Name").fill("Renamed research lab");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Switch organisation" })).toContainText("Renamed research lab");
    await shot("settings");
  });

  test("create a second organisation from the switcher and switch back", async ({ page, account, shot }) => {
    const name = uniqueId("Second lab");
    await page.goto(`/${account.orgSlug}`);
    await page.getByRole("button", { name: "Switch organisation" }).click();
    await page.getByRole("menuitem", { name: "+ Create organisation" }).click();
    const form = page.getByRole("form", { name: "Create organisation" });
    await form.getByLabel("Name").fill(name);
    await shot("create-dialog");
    await form.getByRole("button", { name: "Create" }).click();
    await expect(page).toHaveURL(new RegExp(`/${name.toLowerCase().replace(/ /g, "-")}$`));
    await expect(page.getByRole("button", { name: "Switch organisation" })).toContainText(name);

    await page.getByRole("button", { name: "Switch organisation" }).click();
    const menu = page.getByRole("menu");
    await expect(menu.getByRole("menuitem")).toHaveCount(3);
    await menu.locator(`a[href="/${account.orgSlug}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/${account.orgSlug}$`));
  });
});
