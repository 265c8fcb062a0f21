import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { trpc, type Account } from "../fixtures";
import { orgIdOf, uniqueId } from "../foundation/helpers";

export interface ProjectRef {
  id: string;
  slug: string;
  /** URL of the project's runs page. */
  runsUrl: string;
}

export interface RunRef {
  id: string;
  name: string;
  number: number;
}

export async function createProject(page: Page, account: Account, name = "Tracking"): Promise<ProjectRef> {
  const orgId = await orgIdOf(page, account.orgSlug);
  const project = await trpc<{ id: string; slug: string }>(page.context().request, "mutation", "project.create", { orgId, name, slug: uniqueId("runs") });
  return { id: project.id, slug: project.slug, runsUrl: `/${account.orgSlug}/${project.slug}/runs` };
}

export async function createRun(request: APIRequestContext, projectId: string, input: Record<string, unknown>): Promise<RunRef> {
  return trpc<RunRef>(request, "mutation", "run.create", { projectId, ...input });
}

/** A metric value as JSON can carry it: NaN and infinities travel as the strings the API accepts. */
const wire = (v: number) => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v);

/** Logs `key` at steps [from, to) with values f(step) (and times ts(step), else the server's clock), in batches of at most 5,000 points. */
export async function logCurve(
  request: APIRequestContext,
  projectId: string,
  runId: string,
  key: string,
  from: number,
  to: number,
  f: (step: number) => number,
  ts?: (step: number) => number,
) {
  for (let start = from; start < to; start += 5000) {
    const points = [];
    for (let step = start; step < Math.min(to, start + 5000); step++) points.push({ key, step, value: wire(f(step)), ...(ts ? { timestamp: Math.round(ts(step)) } : {}) });
    await trpc(request, "mutation", "run.logMetrics", { projectId, runId, points });
  }
}

/** Logs explicit values at steps 0, 1, 2… (NaN and ±Infinity allowed). */
export async function logValues(request: APIRequestContext, projectId: string, runId: string, key: string, values: number[]) {
  await trpc(request, "mutation", "run.logMetrics", { projectId, runId, points: values.map((v, step) => ({ key, step, value: wire(v) })) });
}

export async function finishRun(request: APIRequestContext, projectId: string, runId: string, status = "FINISHED") {
  await trpc(request, "mutation", "run.finish", { projectId, runId, status });
}

/** Names of the run rows the table currently renders, top to bottom. */
export async function visibleRunNames(table: Locator): Promise<string[]> {
  const rows = table.locator("[data-run-id]");
  const boxes = await rows.evaluateAll((els) =>
    els.map((el) => ({ y: el.getBoundingClientRect().top, name: el.querySelector("a")?.textContent ?? "" })).sort((a, b) => a.y - b.y),
  );
  return boxes.map((b) => b.name);
}

/** Every line a Tremor/Recharts chart draws in `figure`, as its SVG path data. */
export async function linePaths(figure: Locator): Promise<string[]> {
  await expect(figure.locator("path.recharts-curve").first()).toBeAttached();
  return figure.locator("path.recharts-curve").evaluateAll((els) => els.map((el) => el.getAttribute("d") ?? "").filter((d) => d.length > 0));
}

/** A 32×32 blue and orange checkerboard PNG (115 bytes). */
export const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAOklEQVR42mNQTX6NFX2dx40VkaqeYdSCUQuGgAXUMgiX+lELRi0YChaMFhWjFoxaMFofjFowagEQAQCh8CJbg7Hm6QAAAABJRU5ErkJggg==",
  "base64",
);

/**
 * Calls one procedure many times in a single HTTP request (tRPC's batch format); the server runs them
 * concurrently. A 429 (the caller's rate limit: the whole batch is refused before any call runs) is
 * retried after the Retry-After the server sends, as a well-behaved client does.
 */
export async function batchMutation<T>(request: APIRequestContext, procPath: string, inputs: unknown[]): Promise<T[]> {
  const body = Object.fromEntries(inputs.map((input, i) => [String(i), { json: input }]));
  const send = () => request.post(`/api/trpc/${inputs.map(() => procPath).join(",")}?batch=1`, { data: JSON.stringify(body), headers: { "content-type": "application/json" } });
  let res = await send();
  for (let attempt = 0; res.status() === 429 && attempt < 20; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers()["retry-after"] ?? 1) * 1000));
    res = await send();
  }
  const out = (await res.json()) as { result?: { data: { json: T } }; error?: unknown }[];
  const failed = out.find((r) => !r.result);
  if (!res.ok() || failed) throw new Error(`${procPath} batch → ${res.status()}: ${JSON.stringify(failed?.error ?? out).slice(0, 500)}`);
  return out.map((r) => r.result!.data.json);
}
