import { expect, test } from "../fixtures";
import { choose, settled } from "../foundation/helpers";
import { createProject, createRun, finishRun, logValues, visibleRunNames, type ProjectRef } from "./helpers";

/** name, experiment, params, rmse curve (last value is the one the table shows). */
const SEED = [
  { name: "gbdt-a", experiment: "gbdt-sweep", params: { model: "gbdt", depth: 4, lr: 0.1 }, rmse: [5, 4, 3.2] },
  { name: "gbdt-b", experiment: "gbdt-sweep", params: { model: "gbdt", depth: 6, lr: 0.1 }, rmse: [6, 5, 4.5] },
  { name: "gbdt-c", experiment: "gbdt-sweep", params: { model: "gbdt", depth: 8, lr: 0.05 }, rmse: [4, 3, 2.8] },
  { name: "linear-a", experiment: "linear", params: { model: "linear", lr: 0.01 }, rmse: [4, 3.5] },
  { name: "linear-b", experiment: "linear", params: { model: "linear", lr: 0.001 }, rmse: [6, 5.1] },
  { name: "diverged", experiment: "gbdt-sweep", params: { model: "gbdt", depth: 12, lr: 1 }, rmse: [3, Infinity, NaN] },
];

async function seed(page: Parameters<typeof createProject>[0], account: Parameters<typeof createProject>[1]): Promise<ProjectRef & { ids: Record<string, string> }> {
  const project = await createProject(page, account);
  const request = page.context().request;
  const ids: Record<string, string> = {};
  for (const r of SEED) {
    const run = await createRun(request, project.id, { name: r.name, experiment: r.experiment, params: r.params, tags: { owner: "e2e" } });
    ids[r.name] = run.id;
    await logValues(request, project.id, run.id, "rmse", r.rmse);
    await logValues(request, project.id, run.id, "loss", r.rmse.map((v) => v / 10));
    await finishRun(request, project.id, run.id);
  }
  return { ...project, ids };
}

test.describe("runs table", () => {
  test("empty project shows how to log a first run", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    await page.goto(project.runsUrl);
    await expect(page.getByText("No runs yet")).toBeVisible();
    await expect(page.getByText("import cairn_tracking")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Runs" })).toHaveAttribute("aria-current", "page");
    await shot("empty");
  });

  test("filter, invalid filter, sort, URL state, grouping and compare selection", async ({ page, account, shot }) => {
    const project = await seed(page, account);
    await page.goto(project.runsUrl);
    await settled(page);
    const table = page.getByRole("table", { name: "Runs" });
    await expect(table.locator("[data-run-id]")).toHaveCount(SEED.length);
    await expect(page.getByText(`${SEED.length} runs`)).toBeVisible();
    // Default columns: every metric (last value) and param of the loaded runs.
    const diverged = table.locator(`[data-run-id="${project.ids.diverged}"]`);
    await expect(diverged.locator('[data-col="metrics.rmse"]')).toHaveText("NaN");
    await expect(diverged.locator('[data-col="params.model"]')).toHaveText("gbdt");
    await shot("all");

    const filter = page.getByLabel("Filter expression");
    await filter.fill('metrics.rmse < 4 and params.model = "gbdt"');
    await filter.press("Enter");
    await expect(table.locator("[data-run-id]")).toHaveCount(2);
    expect((await visibleRunNames(table)).sort()).toEqual(["gbdt-a", "gbdt-c"]);
    await expect(page).toHaveURL(/q=metrics\.rmse/);
    await shot("filtered");

    await filter.fill("metrics.rmse <");
    await filter.press("Enter");
    const error = page.locator("[data-filter-error]");
    await expect(error).toContainText("Filter: unexpected end of the expression");
    await expect(filter).toHaveAttribute("aria-invalid", "true");
    await shot("invalid-filter");

    await filter.fill("params.lr >= 0.01");
    await filter.press("Enter");
    await expect(error).toHaveCount(0);
    await expect(table.locator("[data-run-id]")).toHaveCount(5);

    // Sort by the rmse column: descending first, then ascending; NaN sorts above every number in Postgres.
    const rmseHeader = table.getByRole("columnheader").filter({ hasText: /^rmse/ });
    await rmseHeader.getByRole("button").click();
    await expect(rmseHeader).toHaveAttribute("aria-sort", "descending");
    await expect.poll(() => visibleRunNames(table)).toEqual(["diverged", "gbdt-b", "linear-a", "gbdt-a", "gbdt-c"]);
    await rmseHeader.getByRole("button").click();
    await expect(rmseHeader).toHaveAttribute("aria-sort", "ascending");
    await expect.poll(() => visibleRunNames(table)).toEqual(["gbdt-c", "gbdt-a", "linear-a", "gbdt-b", "diverged"]);
    await expect(page).toHaveURL(/sort=metrics\.rmse&dir=asc/);

    // Columns: add the min of loss and the owner tag, drop the lr param.
    await page.getByRole("button", { name: "Choose columns" }).click();
    await page.getByLabel("Column min(metrics.loss)").check();
    await page.getByLabel("Column tags.owner").check();
    await page.getByLabel("Column params.lr").uncheck();
    await page.keyboard.press("Escape");
    await expect(table.getByRole("columnheader", { name: "loss (min)" })).toBeVisible();
    await expect(table.getByRole("columnheader", { name: "owner" })).toBeVisible();
    await expect(table.getByRole("columnheader", { name: "lr" })).toHaveCount(0);
    // The URL follows the view a navigation later; a reload before it lands would read the old one.
    await expect(page).toHaveURL(/col=min%28metrics\.loss%29/);
    await expect(page).toHaveURL(/col=tags\.owner/);
    await expect(page).not.toHaveURL(/col=params\.lr(&|$)/);

    // The whole view survives a reload.
    await page.reload();
    await settled(page);
    await expect(page.getByLabel("Filter expression")).toHaveValue("params.lr >= 0.01");
    await expect(table.getByRole("columnheader").filter({ hasText: /^rmse/ })).toHaveAttribute("aria-sort", "ascending");
    await expect.poll(() => visibleRunNames(table)).toEqual(["gbdt-c", "gbdt-a", "linear-a", "gbdt-b", "diverged"]);
    await expect(table.getByRole("columnheader", { name: "loss (min)" })).toBeVisible();
    await expect(table.getByRole("columnheader", { name: "lr" })).toHaveCount(0);
    await expect(table.locator(`[data-run-id="${project.ids["gbdt-c"]}"] [data-col="min(metrics.loss)"]`)).toHaveText("0.28");
    await shot("reloaded");

    // Scrolled sideways to the last column, the run's name stays pinned on the left.
    await table.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect(table.getByRole("columnheader", { name: "owner" })).toBeInViewport();
    const name = table.locator(`[data-run-id="${project.ids["gbdt-c"]}"] a`);
    await expect.poll(async () => {
      const [t, n] = [await table.boundingBox(), await name.boundingBox()];
      return t && n ? n.x - t.x : -1;
    }).toBeGreaterThan(100);
    await expect(name).toBeInViewport();
    await shot("scrolled-right");
    await table.evaluate((el) => el.scrollTo({ left: 0 }));

    // Group by a param: one collapsible header per value with its count.
    await choose(page, page.locator('[aria-label="Group by"]'), "Group by model");
    await expect(page).toHaveURL(/group=model/);
    const gbdt = table.locator('[data-group="gbdt"]');
    await expect(gbdt).toContainText("4");
    await expect(table.locator('[data-group="linear"]')).toContainText("1");
    await gbdt.getByRole("button").click();
    await expect(table.locator("[data-run-id]")).toHaveCount(1);
    await shot("grouped-collapsed");
    await gbdt.getByRole("button").click();
    await expect(table.locator("[data-run-id]")).toHaveCount(5);

    // Experiment selector narrows to one experiment.
    await choose(page, page.locator('[aria-label="Experiment"]'), "linear (2)");
    await expect(table.locator("[data-run-id]")).toHaveCount(1);
    await expect(page).toHaveURL(/exp=/);
    await page.getByRole("button", { name: "Clear", exact: true }).click();
    await expect(table.locator("[data-run-id]")).toHaveCount(2);

    // Select runs and open the comparison.
    await choose(page, page.locator('[aria-label="Experiment"]'), "All experiments");
    await expect(table.locator("[data-run-id]")).toHaveCount(SEED.length);
    const compare = page.getByRole("button", { name: /^Compare/ });
    await table.getByLabel("Select gbdt-a").check();
    await expect(compare).toBeDisabled();
    await table.getByLabel("Select gbdt-c").check();
    await table.getByLabel("Select linear-a").check();
    await expect(compare).toHaveText("Compare (3)");
    await shot("selected");
    await compare.click();
    await expect(page).toHaveURL(new RegExp(`/runs/compare\\?ids=`));
    const ids = new URL(page.url()).searchParams.get("ids")!.split(",").sort();
    expect(ids).toEqual([project.ids["gbdt-a"], project.ids["gbdt-c"], project.ids["linear-a"]].sort());
    await expect(page.getByRole("heading", { name: "Compare 3 runs" })).toBeVisible();
  });
});
