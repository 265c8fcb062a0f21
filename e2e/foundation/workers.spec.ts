import { expect, test } from "../fixtures";

test.describe("workers", () => {
  test("the fleet shows an online worker, and a queue ping completes", async ({ page, account, shot }) => {
    await page.goto(`/${account.orgSlug}/workers`);
    const online = page.locator('table[aria-label="Workers"] tr[data-state="online"]');
    await expect(online.first()).toBeVisible({ timeout: 30_000 });
    await expect(online.first()).toContainText("cores");
    // Host details (name, pid, memory) are the installation's: a member sees the shared worker's capacity under a label.
    await expect(online.first()).toContainText(/shared worker \d+/);
    await expect(online.first()).not.toContainText("GiB");
    await expect(online.first()).not.toContainText("pid");
    // The donut draws one arc per non-empty state; an undrawn chart has no paths.
    await expect(page.locator('[aria-label="Worker states"] svg path').first()).toBeVisible();
    await expect(page.getByText("No pings yet")).toBeVisible();

    await page.getByRole("button", { name: "Ping the queue" }).click();
    const progress = page.getByRole("status", { name: "Ping progress" });
    await expect(progress).toBeVisible();
    await expect(progress).toHaveAttribute("data-status", "COMPLETED", { timeout: 30_000 });
    await expect(progress).toContainText(/Completed in \d+ ms on /);
    const pings = page.getByRole("table", { name: "Recent pings" });
    await expect(pings.locator("tbody tr")).toHaveCount(1);
    await expect(pings).toContainText("completed");
    await expect(page.getByLabel("Ping round trips")).toContainText(" ms");
    await shot("ping-completed");
  });
});
