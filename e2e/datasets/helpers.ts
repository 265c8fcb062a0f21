import { expect, type Locator, type Page } from "@playwright/test";
import { trpc, type Account } from "../fixtures";
import { orgIdOf, uniqueId } from "../foundation/helpers";

export interface CsvOptions {
  rows: number;
  seed?: number;
  /** Ages are drawn from 18 to this (inclusive). */
  ageMax?: number;
  plans?: string[];
  /** Added to every income, to shift the distribution between versions. */
  incomeShift?: number;
  /** Adds a `region` column (a schema change). */
  withRegion?: boolean;
}

/** A deterministic customer table: the same options always give the same bytes. */
export function makeCsv({ rows, seed = 1, ageMax = 75, plans = ["basic", "plus", "pro"], incomeShift = 0, withRegion = false }: CsvOptions): string {
  let state = seed >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const header = ["customer_id", "age", "income", "plan", "signup", "churned", ...(withRegion ? ["region"] : [])];
  const lines = [header.join(",")];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 1; i <= rows; i++) {
    const age = 18 + Math.floor(rand() * (ageMax - 17));
    const income = (30_000 + rand() * 50_000 + age * 400 + incomeShift).toFixed(2);
    const plan = plans[Math.floor(rand() * rand() * plans.length)]!;
    const signup = new Date(start + Math.floor(rand() * 365) * 86_400_000).toISOString().slice(0, 10);
    const churned = rand() < 0.3 ? "true" : "false";
    const row = [String(i), String(age), income, plan, signup, churned];
    if (withRegion) row.push(["north", "south", "east", "west"][Math.floor(rand() * 4)]!);
    lines.push(row.join(","));
  }
  return `${lines.join("\n")}\n`;
}

export interface ProjectRef {
  id: string;
  slug: string;
  /** URL of the project's datasets page. */
  datasetsUrl: string;
}

export async function createProject(page: Page, account: Account, name = "Churn"): Promise<ProjectRef> {
  const orgId = await orgIdOf(page, account.orgSlug);
  const project = await trpc<{ id: string; slug: string }>(page.context().request, "mutation", "project.create", { orgId, name, slug: uniqueId("churn") });
  return { id: project.id, slug: project.slug, datasetsUrl: `/${account.orgSlug}/${project.slug}/datasets` };
}

export async function createDataset(page: Page, projectId: string, slug: string, name = slug): Promise<{ id: string; slug: string }> {
  return trpc(page.context().request, "mutation", "dataset.create", { projectId, name, slug });
}

export interface VersionInfo {
  id: string;
  number: number;
  profileStatus: string;
  validation: string;
}

/** PUT through the HTTP endpoint with the page's session cookie, as CI would with a token. */
export async function uploadViaApi(page: Page, projectId: string, dataset: string, csv: string, query: Record<string, string> = {}): Promise<VersionInfo> {
  const params = new URLSearchParams({ fileName: `${dataset}.csv`, ...query });
  const res = await page.context().request.put(`/api/v1/projects/${projectId}/datasets/${dataset}/versions?${params}`, {
    data: Buffer.from(csv),
    headers: { "content-type": "application/octet-stream" },
  });
  const body = (await res.json()) as { version: VersionInfo; error?: { message: string } };
  expect(res.status(), JSON.stringify(body.error ?? {})).toBe(201);
  return body.version;
}

/** Waits for the worker to profile and validate a version. */
export async function settledVersion(page: Page, projectId: string, versionId: string): Promise<VersionInfo> {
  let last: VersionInfo | undefined;
  await expect
    .poll(
      async () => {
        last = await trpc<VersionInfo>(page.context().request, "query", "dataset.version", { projectId, versionId });
        return last.profileStatus !== "PENDING" && last.validation !== "PENDING";
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return last!;
}

export async function versionCount(page: Page, projectId: string, datasetId: string): Promise<number> {
  const list = await trpc<unknown[]>(page.context().request, "query", "dataset.versions", { projectId, datasetId });
  return list.length;
}

/** Bars a Tremor chart actually drew (recharts keeps empty bins as zero-height rects). */
export async function drawnBars(scope: Locator): Promise<number> {
  return scope.locator(".recharts-bar-rectangle rect").evaluateAll((rects) => rects.filter((r) => Number(r.getAttribute("height")) > 0).length);
}

/** A full-page screenshot of a scrolled page draws the sticky header mid-page; scroll back first. */
export async function shotFromTop(page: Page, shot: (name: string) => Promise<void>, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(name);
}
