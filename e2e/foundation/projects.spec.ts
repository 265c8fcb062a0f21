import { expect, test } from "../fixtures";
import { settled, uniqueId } from "./helpers";

test.describe("projects", () => {
  test("create a project through the form, open it, rename and delete it", async ({ page, account, shot }) => {
    await page.goto(`/${account.orgSlug}`);
    await expect(page.getByText("No projects yet")).toBeVisible();
    await shot("empty");

    await page.getByRole("button", { name: "New project" }).first().click();
    const form = page.getByRole("form", { name: "New project" });
    await form.getByLabel("URL slug (optional)").fill("Not A Slug");
    await form.getByRole("button", { name: "Create project" }).click();
    await expect(form.locator('[data-field-error="project-name"]')).toHaveText("must not be empty");
    await expect(form.locator('[data-field-error="project-slug"]')).toContainText("lowercase letters");
    await shot("validation");

    const slug = uniqueId("churn");
    await form.getByLabel("Name").fill("Churn prediction");
    await form.getByLabel("URL slug (optional)").fill(slug);
    await form.getByLabel("Description (optional)").fill("Predicts which customers leave next month.");
    await form.getByRole("button", { name: "Create project" }).click();

    await expect(page).toHaveURL(new RegExp(`/${account.orgSlug}/${slug}$`));
    await expect(page.getByRole("heading", { name: "Churn prediction", level: 1 })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Project" });
    await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Datasets" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Runs" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Models" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Deployments" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Pipelines" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Monitors" })).toBeVisible();
    await expect(page.getByText("Predicts which customers leave next month.")).toBeVisible();
    // The project's trail stays on every page under it; only on the overview is the project the page shown.
    const trail = page.getByRole("navigation", { name: "Location" });
    await expect(trail.getByRole("link")).toHaveText(["Projects"]);
    await expect(trail.locator('[aria-current="page"]')).toHaveText(slug);
    await shot("overview");

    await nav.getByRole("link", { name: "Settings" }).click();
    const settings = page.getByRole("form", { name: "Project settings" });
    await settings.getByLabel("Name").fill("Customer churn");
    await settings.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Customer churn", level: 1 })).toBeVisible();
    await expect(trail.locator('[aria-current="page"]')).toHaveCount(0);
    await shot("settings");

    await page.getByRole("link", { name: "Projects", exact: true }).first().click();
    await settled(page);
    await expect(page.getByRole("list", { name: "Projects" }).getByText("Customer churn")).toBeVisible();
    await shot("list");

    await page.goto(`/${account.orgSlug}/${slug}/settings`);
    await page.getByRole("button", { name: "Delete project" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete project" }).click();
    await expect(page).toHaveURL(new RegExp(`/${account.orgSlug}$`));
    await expect(page.getByText("No projects yet")).toBeVisible();
  });
});
