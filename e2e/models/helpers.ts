import type { Browser, Page } from "@playwright/test";
import { expect, signInViaApi } from "../fixtures";
import { TRAINING_TIMEOUT } from "../training/helpers";

export const MODEL = "eta-minutes";

/** Waits on the run page until training finished and its test-split evaluation is done (the version's metrics snapshot). */
export async function finishedRun(page: Page, runUrl: string) {
  await page.goto(runUrl);
  await expect(page.locator('[data-training-status="FINISHED"]')).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await expect(page.getByRole("table", { name: "Evaluations" }).locator('[data-evaluation-status="DONE"]').first()).toBeVisible({ timeout: TRAINING_TIMEOUT });
}

/** Registers the run open on `page` through its "Register model" dialog and opens the new version. */
export async function registerFromRunPage(page: Page, newName?: string) {
  await page.getByRole("button", { name: "Register model" }).click();
  const dialog = page.getByRole("dialog");
  if (newName) await dialog.getByLabel("New model name").fill(newName);
  else await expect(dialog.locator('[aria-label="Model"]')).toContainText(MODEL);
  await dialog.getByRole("button", { name: "Register", exact: true }).click();
  await expect(dialog.locator("[data-registered]")).toBeVisible();
  await dialog.getByRole("link", { name: /^Open version \d+$/ }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/versions/\\d+$`));
}

/** Approves a version in a session of its own, as the person `email`, then runs `check` on that page. */
export async function approveAs(browser: Browser, email: string, url: string, comment: string, check: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL });
  try {
    const page = await context.newPage();
    await signInViaApi(page, email);
    await page.goto(url);
    await page.getByLabel("Comment").fill(comment);
    await page.getByRole("button", { name: "Approve" }).click();
    await check(page);
  } finally {
    await context.close();
  }
}
