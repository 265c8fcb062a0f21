/** What a data scientist reads first: the project overview, the runs table's defaults, the compare view's warnings and charts. */
import { expect, test, trpc } from "../fixtures";
import { choose } from "../foundation/helpers";
import { createProject, createRun, finishRun, logValues } from "./helpers";

test.describe("project overview and run insights", () => {
  test("overview, default columns, primary metric, compare warnings, parallel coordinates, all-runs chart, titles", async ({ page, account, shot }) => {
    // Many pages in one story: generous on a small, busy CI host.
    test.setTimeout(180_000);
    const project = await createProject(page, account, "Insights");
    const request = page.context().request;
    const base = `/${account.orgSlug}/${project.slug}`;
    const upload = async (csv: string) => {
      const res = await request.put(`/api/v1/projects/${project.id}/datasets/trips/versions?fileName=trips.csv`, { data: csv, headers: { "content-type": "text/csv" } });
      expect(res.status()).toBeLessThan(300);
      return ((await res.json()) as { version: { id: string } }).version.id;
    };
    const v1 = await upload("distance,minutes\n1,5\n2,9\n");
    const v2 = await upload("distance,minutes\n1,6\n3,13\n");
    const specs = [
      { name: "gbdt-deep", version: v1, params: { trainer: "gbdt", target: "minutes", "gbdt.maxDepth": 8, "gbdt.rounds": 200, seed: 1 }, rmse: 3.1, r2: 0.91 },
      { name: "gbdt-shallow", version: v1, params: { trainer: "gbdt", target: "minutes", "gbdt.maxDepth": 3, "gbdt.rounds": 100, seed: 1 }, rmse: 3.9, r2: 0.86 },
      { name: "ridge-v2", version: v2, params: { trainer: "ridge", target: "minutes", "ridge.alpha": 1, seed: 1 }, rmse: 4.4, r2: 0.8 },
    ];
    const ids: string[] = [];
    for (const s of specs) {
      const run = await createRun(request, project.id, { name: s.name, experiment: "eta", params: s.params, inputs: [s.version] });
      await logValues(request, project.id, run.id, "test/rmse", [s.rmse]);
      await logValues(request, project.id, run.id, "test/r2", [s.r2]);
      await logValues(request, project.id, run.id, "train_rmse", [s.rmse * 0.8, s.rmse * 0.7]);
      await finishRun(request, project.id, run.id);
      ids.push(run.id);
    }
    const cancelled = await createRun(request, project.id, { name: "stopped-early", experiment: "eta", params: { trainer: "gbdt", target: "minutes", seed: 1 } });
    await finishRun(request, project.id, cancelled.id, "KILLED");

    // Overview: counts, best of the inferred ranking metric, its trend, latest versions and runs.
    await page.goto(base);
    const activity = page.getByTestId("recent-activity");
    await expect(activity.locator('[data-stat="Runs"]')).toContainText("4");
    await expect(activity.locator('[data-stat="Best test/rmse"]')).toContainText("3.1");
    await expect(activity.locator('[data-stat="Best test/rmse"]')).toContainText("gbdt-deep (lowest)");
    await expect(activity.getByRole("list", { name: "Latest runs" }).locator("li")).toHaveCount(4);
    await expect(activity.locator('[data-run="stopped-early"]')).toContainText("cancelled");
    await expect(activity.getByRole("list", { name: "Latest data versions" })).toContainText("trips v2");
    await expect(activity.locator("path.recharts-curve")).toHaveCount(1);
    await expect(page).toHaveTitle(`Overview · Insights · Cairn`);
    await shot("overview");

    // Runs table: the ranking metric first, test metrics before per-round ones, only params that differ.
    await page.goto(`${base}/runs`);
    const headers = page.getByRole("columnheader");
    await expect(headers.nth(6)).toHaveText(/test\/rmse/);
    const labels = (await headers.allTextContents()).map((t) => t.replace(/[▲▼↑↓]/g, "").trim());
    expect(labels.slice(6)).toEqual(["test/rmse", "test/r2", "trainer", "gbdt.maxDepth"]);
    // The whole table fits beside the sidebar on a 1,280 px screen: no sideways scrolling.
    const table = page.getByRole("table", { name: "Runs" });
    expect(await table.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(labels).not.toContain("seed");
    expect(labels).not.toContain("target");
    await expect(page.locator('[data-status="KILLED"]')).toHaveText("cancelled");
    await shot("runs-default-columns");

    // The all-runs chart: one dot per run that has the metric (the cancelled one has none).
    await page.getByRole("button", { name: "Chart" }).click();
    await expect(page).toHaveURL(/view=chart/);
    await expect(page.locator(".recharts-scatter-symbol")).toHaveCount(3);
    await shot("runs-chart");

    // A primary metric set in settings takes over the overview.
    await page.goto(`${base}/settings`);
    await page.getByLabel("Metric", { exact: true }).fill("test/r2");
    await choose(page, page.locator('[aria-label="Better when"]'), "higher (a score)");
    await page.getByRole("form", { name: "Primary metric" }).getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("form", { name: "Primary metric" }).getByText("Saved.")).toBeVisible();
    await page.goto(base);
    await expect(page.locator('[data-stat="Best test/r2"]')).toContainText("0.91");

    // Compare: different data is called out, parallel coordinates draw one line per run.
    await page.goto(`${base}/runs/compare?ids=${ids.join(",")}`);
    const warning = page.locator("[data-compare-warning]");
    await expect(warning).toContainText("trained on different data");
    await expect(warning).toContainText("trips v1 (gbdt-deep, gbdt-shallow); trips v2 (ridge-v2)");
    await expect(page.locator('[data-data-row="target"] td')).toHaveText(["minutes", "minutes", "minutes"]);
    const parallel = page.locator('[data-chart="parallel-coordinates"]');
    await expect(parallel.locator("[data-run-line]")).toHaveCount(3);
    await expect(parallel.locator("[data-axis]")).toHaveCount(7);
    await expect(page.getByText("the highlighted best does not rank them")).toBeVisible();
    await shot("compare-warning-parallel");

    // Same data: no warning.
    await page.goto(`${base}/runs/compare?ids=${ids.slice(0, 2).join(",")}`);
    await expect(page.getByRole("heading", { name: "Compare 2 runs" })).toBeVisible();
    await expect(page.locator('[data-data-row="inputs"]')).toContainText("trips v1");
    await expect(page.locator("[data-compare-warning]")).toHaveCount(0);

    // Tabs name what they show.
    await page.goto(`${base}/runs/${ids[0]}`);
    await expect(page).toHaveTitle("gbdt-deep · Runs · Insights · Cairn");
    const favicon = await request.get("/favicon.ico");
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()["content-type"]).toMatch(/image/);
    const projects = await trpc<{ id: string }[]>(request, "query", "project.list", { orgId: (await trpc<{ id: string }>(request, "query", "org.get", { orgSlug: account.orgSlug })).id });
    expect(projects.map((p) => p.id)).toContain(project.id);
  });
});
