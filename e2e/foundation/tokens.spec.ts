import { expect, test, trpc } from "../fixtures";
import { choose, orgIdOf, settled, uniqueId } from "./helpers";

test.describe("API tokens", () => {
  test("create a token, see its secret once, revoke it, and find both in the audit log", async ({ page, account, playwright, baseURL, shot }) => {
    const api = await playwright.request.newContext({ baseURL });
    const name = uniqueId("ci");
    const orgId = await orgIdOf(page, account.orgSlug);
    const project = await trpc<{ id: string; slug: string }>(page.context().request, "mutation", "project.create", { orgId, name: "Demand forecast" });
    await page.goto(`/${account.orgSlug}/settings/tokens`);
    await settled(page);
    await expect(page.getByText("No API tokens yet")).toBeVisible();

    await page.getByRole("button", { name: "New token" }).click();
    const form = page.getByRole("form", { name: "New API token" });
    await form.getByLabel("Name").fill(name);
    await choose(page, form.getByTestId("token-role"), "Viewer");
    await choose(page, form.getByTestId("token-project"), "Demand forecast");
    await form.getByLabel("Expires (optional)").fill("2031-01-15");
    await form.getByRole("button", { name: "Create token" }).click();

    const secretBox = page.getByRole("region", { name: "New token secret" });
    await expect(secretBox).toContainText("only time it is shown");
    const secret = (await secretBox.getByTestId("token-secret").textContent())?.trim() ?? "";
    expect(secret.length).toBeGreaterThan(30);
    const row = page.locator(`tr[data-token="${name}"]`);
    await expect(row).toContainText("active");
    await expect(row).toContainText("viewer");
    await expect(row).toContainText(project.slug);
    await expect(row).toContainText("15 Jan 2031");
    await shot("secret-once");

    const whoami = await api.get("/api/v1/whoami", { headers: { authorization: `Bearer ${secret}` } });
    expect(whoami.status()).toBe(200);
    expect(await whoami.json()).toMatchObject({ kind: "token", role: "VIEWER", projectId: project.id });

    await secretBox.getByRole("button", { name: "I have saved it" }).click();
    await page.reload();
    await settled(page);
    await expect(page.locator(`tr[data-token="${name}"]`)).toBeVisible();
    await expect(page.getByText(secret)).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);

    await page.locator(`tr[data-token="${name}"]`).getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await expect(page.locator(`tr[data-token="${name}"]`)).toContainText("revoked");
    await expect(page.locator(`tr[data-token="${name}"]`).getByRole("button", { name: "Revoke" })).toHaveCount(0);
    await shot("revoked");
    expect((await api.get("/api/v1/whoami", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);

    await page.getByRole("link", { name: "Audit log" }).click();
    await settled(page);
    await page.getByRole("button", { name: "token.*" }).click();
    const events = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
    await expect(events).toHaveCount(2);
    await expect(events.nth(0)).toHaveAttribute("data-action", "token.revoke");
    await expect(events.nth(0)).toContainText("state: active → revoked");
    await expect(events.nth(0)).toContainText(account.email);
    await expect(events.nth(1)).toHaveAttribute("data-action", "token.create");
    await shot("audit");
    await api.dispose();
  });

  test("the audit log pages with Load more and filters by typed prefix", async ({ page, account }) => {
    // Thirty tokens made and revoked through the UI: about 30 s on an idle 2-core machine, longer on a busy one.
    test.setTimeout(3 * 60_000);
    await page.goto(`/${account.orgSlug}/settings/tokens`);
    await settled(page);
    // 30 events: more than one page of 25.
    for (let i = 0; i < 15; i++) {
      await page.getByRole("button", { name: "New token" }).click();
      await page.getByRole("form", { name: "New API token" }).getByLabel("Name").fill(`bulk-${i}`);
      await page.getByRole("button", { name: "Create token" }).click();
      await expect(page.locator(`tr[data-token="bulk-${i}"]`)).toBeVisible();
      await page.getByRole("button", { name: "I have saved it" }).click();
    }
    for (let i = 0; i < 15; i++) {
      await page.locator(`tr[data-token="bulk-${i}"]`).getByRole("button", { name: "Revoke" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
      await expect(page.locator(`tr[data-token="bulk-${i}"]`)).toContainText("revoked");
    }

    await page.goto(`/${account.orgSlug}/settings/audit`);
    await settled(page);
    await page.getByRole("textbox", { name: "Action prefix" }).fill("token.");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    const rows = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
    await expect(rows).toHaveCount(25);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect(rows).toHaveCount(30);
    await expect(page.getByText("End of the log")).toBeVisible();
    await expect(rows.last()).toHaveAttribute("data-action", "token.create");

    await page.getByRole("button", { name: "member.*" }).click();
    await expect(page.getByText("No events starting with “member.”")).toBeVisible();
  });
});
