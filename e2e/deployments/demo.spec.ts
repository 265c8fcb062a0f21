/**
 * The demo's Deployments tab as `npm start` leaves it once the worker has caught up: `eta` in
 * production serving the champion, with a canary of the gated challenger. Only looked at (as the
 * demo owner): the demo is left as it is for the other specs and the README walkthrough.
 */
import { DEMO } from "../../scripts/seed";
import { expect, signInViaApi, test } from "../fixtures";
import { deployShot } from "./helpers";

test("the demo's deployment eta shows its canary, timeline and endpoint", async ({ page }) => {
  test.setTimeout(6 * 60_000);
  await signInViaApi(page, DEMO.email, process.env.CAIRN_E2E_DEMO_PASSWORD!);
  const base = `/${DEMO.orgSlug}/${DEMO.projectSlug}/deployments`;

  // The worker trains, gates and deploys after start; the canary starts once the challenger's gate passed.
  await expect
    .poll(
      async () => {
        await page.goto(`${base}/eta`);
        return page.locator("[data-candidate]").count();
      },
      { timeout: 5 * 60_000, intervals: [5_000] },
    )
    .toBe(1);
  await expect(page.locator("[data-deployment-page]")).toHaveAttribute("data-deployment-page", "eta");
  await expect(page.getByText("production").first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Canary steps" })).toBeVisible();
  await expect(page.locator("[data-endpoint-url]")).toHaveText(/\/v2\/models\/eta\/infer$/);
  await expect(page.locator("[data-curl-example]")).toContainText('"instances": [');
  await deployShot(page, "demo");

  await page.goto(base);
  await expect(page.locator('[data-deployment="eta"] [data-candidate]')).toBeVisible();
  await deployShot(page, "demo-list");
});
