/** What the profile page draws for integer columns and large counts. */
import { expect, test } from "../fixtures";
import { settled } from "../foundation/helpers";
import { createProject, drawnBars, settledVersion, uploadViaApi } from "./helpers";

test.describe("profile charts", () => {
  test("integer columns get one bar per value with whole-number labels, and large counts fit the y axis", async ({ page, account, shot }) => {
    test.setTimeout(120_000);
    const project = await createProject(page, account, "Counts");
    // 30,000 rows: `items` takes 1…4 (about 7,500 each, 24,000 for the commonest), `age` 18…79.
    const lines = ["order_no,items,age"];
    for (let i = 0; i < 30_000; i++) lines.push(`${i},${i % 10 < 8 ? 1 : (i % 10) - 6},${18 + (i % 62)}`);
    const uploaded = await uploadViaApi(page, project.id, "orders", `${lines.join("\n")}\n`);
    const version = await settledVersion(page, project.id, uploaded.id);
    expect(version.profileStatus).toBe("READY");

    await page.goto(`/${account.orgSlug}/${project.slug}/datasets/orders/versions/${uploaded.id}`);
    await settled(page);
    const items = page.locator('[data-profile-column="items"]');
    await expect(items.locator('[data-chart="histogram"]')).toBeVisible();
    expect(await drawnBars(items)).toBe(3);
    const ticks = await items.locator(".recharts-xAxis .recharts-cartesian-axis-tick-value").allTextContents();
    expect(ticks).toEqual(["1", "2", "3"]);
    // The largest y tick is written out in full (it was clipped to "4,000" with a fixed narrow axis).
    const yTicks = await items.locator(".recharts-yAxis .recharts-cartesian-axis-tick-value").allTextContents();
    expect(yTicks.some((t) => /^2\d,\d{3}$/.test(t))).toBe(true);
    // Ages have 62 values: whole-number ranges, never fractional ones.
    const ageTicks = await page.locator('[data-profile-column="age"] .recharts-xAxis .recharts-cartesian-axis-tick-value').allTextContents();
    expect(ageTicks.length).toBeGreaterThan(0);
    expect(ageTicks.every((t) => /^(≤ \d+|≥ \d+|\d+(–\d+)?)$/.test(t))).toBe(true);
    await items.scrollIntoViewIfNeeded();
    await shot("integer-histograms");
  });
});
