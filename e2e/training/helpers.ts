import { expect, type Page } from "@playwright/test";
import { trpc, type Account } from "../fixtures";
import { orgIdOf, uniqueId } from "../foundation/helpers";
import { createDataset, settledVersion, uploadViaApi } from "../datasets/helpers";

/** Training and evaluation go through one worker shared by every spec: generous, not tight. */
export const TRAINING_TIMEOUT = 180_000;

const VEHICLES = ["bike", "car", "van"];
const REGIONS = ["north", "south", "east", "west"];
const SPEED: Record<string, number> = { bike: 3.2, car: 1.8, van: 2.2 };
const DELAY: Record<string, number> = { north: 2, south: 6, east: 4, west: 1 };

/**
 * A deterministic delivery table: minutes grow with distance (by vehicle), items, the region's
 * delay and rush hours, plus noise; `late` is a noisy threshold on minutes, so every region holds
 * both classes. The same seed always gives the same bytes.
 */
export function deliveriesCsv(rows = 2000, seed = 7): string {
  let state = seed >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ["delivery_id,distance_km,items,vehicle,region,hour,driver_rating,minutes,late"];
  for (let i = 1; i <= rows; i++) {
    const vehicle = VEHICLES[Math.floor(rand() * VEHICLES.length)]!;
    const region = REGIONS[Math.floor(rand() * REGIONS.length)]!;
    const distance = 0.5 + rand() * 14;
    const items = 1 + Math.floor(rand() * 8);
    const hour = 7 + Math.floor(rand() * 14);
    const rating = 3 + rand() * 2;
    const rush = hour === 8 || hour === 9 || hour === 17 || hour === 18 ? 7 : 0;
    const noise = (rand() + rand() + rand() - 1.5) * 6;
    const minutes = 8 + distance * SPEED[vehicle]! + items * 1.4 + DELAY[region]! + rush - (rating - 4) * 3 + noise;
    const late = rand() < 1 / (1 + Math.exp(-(minutes - 35) / 5));
    lines.push([i, distance.toFixed(2), items, vehicle, region, hour, rating.toFixed(2), minutes.toFixed(1), late ? "true" : "false"].join(","));
  }
  return `${lines.join("\n")}\n`;
}

export interface TrainingProject {
  id: string;
  slug: string;
  base: string;
  runsUrl: string;
  datasetId: string;
  datasetSlug: string;
  versionId: string;
}

/** A fresh project with a "Deliveries" dataset whose first version is profiled and ready to train on. */
export async function projectWithDeliveries(page: Page, account: Account, rows = 2000): Promise<TrainingProject> {
  const request = page.context().request;
  const orgId = await orgIdOf(page, account.orgSlug);
  const project = await trpc<{ id: string; slug: string }>(request, "mutation", "project.create", { orgId, name: "Delivery ETA", slug: uniqueId("eta") });
  const dataset = await createDataset(page, project.id, "deliveries", "Deliveries");
  const uploaded = await uploadViaApi(page, project.id, dataset.slug, deliveriesCsv(rows));
  const version = await settledVersion(page, project.id, uploaded.id);
  expect(version.profileStatus).toBe("READY");
  const base = `/${account.orgSlug}/${project.slug}`;
  return { id: project.id, slug: project.slug, base, runsUrl: `${base}/runs`, datasetId: dataset.id, datasetSlug: dataset.slug, versionId: version.id };
}

export async function startTraining(page: Page, project: TrainingProject, input: Record<string, unknown>): Promise<{ id: string; name: string }> {
  return trpc(page.context().request, "mutation", "training.start", { projectId: project.id, datasetVersionId: project.versionId, ...input });
}

/**
 * Records every state the run page's training panel shows, from now on, into window.__statuses:
 * a run can pass through a state between two of the test's own looks.
 */
export async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __statuses: string[] };
    w.__statuses = [];
    setInterval(() => {
      const s = document.querySelector("[data-training-status]")?.getAttribute("data-training-status");
      if (s && w.__statuses[w.__statuses.length - 1] !== s) w.__statuses.push(s);
    }, 50);
  });
}

export const statuses = (page: Page) => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);

/** The training panel's status, once it is `status`. */
export async function expectStatus(page: Page, status: string, timeout = TRAINING_TIMEOUT) {
  await expect(page.locator(`[data-training-status="${status}"]`)).toBeVisible({ timeout });
}

/** Waits for the run's first evaluation report to be DONE and opens it from the run page. */
export async function openFirstReport(page: Page) {
  const row = page.getByRole("table", { name: "Evaluations" }).locator("[data-evaluation]").first();
  await expect(row.locator('[data-evaluation-status="DONE"]')).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await row.getByRole("link", { name: "Open report" }).click();
  await expect(page).toHaveURL(/\/evaluations\/[a-z0-9]+$/);
  await expect(page.getByRole("list", { name: "Headline metrics" })).toBeVisible();
}

/** A headline metric card's number. */
export async function cardValue(page: Page, key: string): Promise<number> {
  const text = await page.locator(`[data-metric-card="${key}"] [data-value]`).innerText();
  return Number(text);
}
