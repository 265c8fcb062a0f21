import { randomBytes } from "node:crypto";
import { expect, type Locator, type Page } from "@playwright/test";
import { trpc } from "../fixtures";

export const uniqueId = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

/**
 * Picks an option of a Tremor Select (a Headless UI listbox, not a native select). A list re-rendered
 * while it opens (a refetch landing) can swallow the click, so the pick is retried until the list has
 * closed on it.
 */
export async function choose(page: Page, select: Locator, option: string) {
  await expect(async () => {
    if ((await page.getByRole("listbox").count()) === 0) await select.getByRole("button").first().click();
    await page.getByRole("option", { name: option, exact: true }).click({ timeout: 3_000 });
    await expect(page.getByRole("listbox")).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
}

/** The id of an organisation the page's signed-in user belongs to. */
export async function orgIdOf(page: Page, orgSlug: string): Promise<string> {
  const org = await trpc<{ id: string }>(page.context().request, "query", "org.get", { orgSlug });
  return org.id;
}

/** Waits until client-side data has replaced the loading skeletons. */
export async function settled(page: Page) {
  await expect(page.locator('[role="status"][aria-label^="Loading"]')).toHaveCount(0);
}
