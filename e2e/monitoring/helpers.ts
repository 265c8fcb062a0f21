import type { Page } from "@playwright/test";
import { DEMO } from "../../scripts/seed";
import { expect, signInViaApi } from "../fixtures";

/** The demo project's pages, under its organisation. */
export const DEMO_BASE = `/${DEMO.orgSlug}/${DEMO.projectSlug}`;

/**
 * Signs in as the demo user and waits until the Monitors page lists the monitor of `eta`: the worker
 * trains and deploys the demo after start, and the monitor comes with the deployment.
 */
export async function demoMonitorListed(page: Page): Promise<void> {
  await signInViaApi(page, DEMO.email, process.env.CAIRN_E2E_DEMO_PASSWORD!);
  await expect
    .poll(
      async () => {
        await page.goto(`${DEMO_BASE}/monitors`);
        return page.locator('[data-monitor="eta"]').count();
      },
      { timeout: 6 * 60_000, intervals: [5_000] },
    )
    .toBe(1);
}
