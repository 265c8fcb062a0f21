import { expect, signInViaApi, test, trpc } from "../fixtures";
import { shotFromTop } from "../datasets/helpers";
import { projectWithDeliveries } from "./helpers";

const SECRET = "e2e-secret-value-9f3";

test.describe("command secrets and worker pools", () => {
  test("a command's environment values never come back to the page; editing keeps a value left blank", async ({ page, account, shot }) => {
    const project = await projectWithDeliveries(page, account, 100);
    await trpc(page.context().request, "mutation", "training.saveCommand", {
      projectId: project.id,
      name: "with-secret",
      command: "python3 train.py",
      env: { API_KEY: SECRET },
    });
    await page.goto(`${project.base}/settings`);
    const row = page.locator('[data-command="with-secret"]');
    await expect(row).toContainText("API_KEY");
    await row.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: "Edit command with-secret" });
    await expect(edit.getByLabel("Variable 1 name")).toHaveValue("API_KEY");
    await expect(edit.getByLabel("Variable 1 value")).toHaveValue("");
    await expect(edit.getByLabel("Variable 1 value")).toHaveAttribute("placeholder", "unchanged (hidden)");
    expect(await page.content()).not.toContain(SECRET);
    await shotFromTop(page, shot, "command-secret-hidden");
    await edit.getByLabel("Timeout (seconds)").fill("90");
    await edit.getByRole("button", { name: "Save command" }).click();
    await expect(row).toContainText("timeout 90 s · API_KEY");
  });

  test("an org admin creates and revokes a worker token; the installation admin sees every organisation's shared-pool permission", async ({ page, account, shot }) => {
    await page.goto(`/${account.orgSlug}/workers`);
    await expect(page.locator("[data-pool]")).toBeVisible();
    await page.getByPlaceholder("gpu-box-1").fill("own-box");
    await page.getByRole("button", { name: "New worker token" }).click();
    const secret = page.getByTestId("token-secret");
    await expect(secret).toContainText("cairn_");
    const row = page.locator('[data-worker-token="own-box"]');
    await expect(row).toContainText("never used");
    await shot("worker-token-created");
    await page.getByRole("button", { name: "I have saved it" }).click();
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("button", { name: "Revoke token" }).click();
    await expect(row).toContainText("revoked");
    // A self-registered owner is no installation admin.
    await expect(page.getByRole("table", { name: "Shared workers by organisation" })).toHaveCount(0);

    await page.context().clearCookies();
    await signInViaApi(page, "demo@cairn.local", process.env.CAIRN_E2E_DEMO_PASSWORD);
    await page.goto("/acme-logistics/workers");
    const orgs = page.getByRole("table", { name: "Shared workers by organisation" });
    await expect(orgs.locator(`[data-org-pool="${account.orgSlug}"]`)).toBeVisible();
    await expect(orgs.locator('[data-org-pool="acme-logistics"]')).toContainText("shared workers allowed");
    await shotFromTop(page, shot, "installation-pools");
  });
});
