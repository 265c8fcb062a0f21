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

/** One instance of a served model's features, read from the curl example its deployment page (`deploymentUrl`) shows. */
export async function exampleInstance(page: Page, deploymentUrl: string): Promise<Record<string, string | number | boolean>> {
  await page.goto(deploymentUrl);
  const read = async () => {
    const curl = (await page.locator("[data-curl-example]").textContent()) ?? "";
    const body = JSON.parse(curl.slice(curl.indexOf("-d '") + 4, curl.lastIndexOf("'"))) as { instances: Record<string, string | number | boolean>[] };
    return body.instances[0]!;
  };
  // The example lists no feature until the stable version's encoding has loaded.
  await expect.poll(async () => Object.keys(await read()).length).toBeGreaterThan(1);
  return read();
}
