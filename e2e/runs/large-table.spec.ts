import { expect, test } from "../fixtures";
import { settled } from "../foundation/helpers";
import { batchMutation, createProject, visibleRunNames, type RunRef } from "./helpers";

const RUNS = 2000;
/** Runs of one batch go to different experiments: run numbers are per experiment, so they never contend. */
const BATCH = 25;

test.describe("large runs table", () => {
  test.setTimeout(240_000);

  test("thousands of runs render only the visible rows and scroll to the end", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const request = page.context().request;
    for (let start = 0; start < RUNS; start += BATCH) {
      const inputs = Array.from({ length: BATCH }, (_, j) => {
        const i = start + j;
        return { projectId: project.id, name: `bulk-${String(i).padStart(4, "0")}`, experiment: `sweep-${j}`, params: { i, width: 2 ** (i % 6) } };
      });
      const runs = await batchMutation<RunRef>(request, "run.create", inputs);
      await batchMutation(
        request,
        "run.logMetrics",
        runs.map((r, j) => ({ projectId: project.id, runId: r.id, points: [{ key: "score", step: 0, value: (start + j) / RUNS }] })),
      );
    }

    await page.goto(`${project.runsUrl}?sort=metrics.score&dir=desc`);
    await settled(page);
    const table = page.getByRole("table", { name: "Runs" });
    await expect(page.getByText(`${RUNS.toLocaleString("en")} runs`)).toBeVisible();
    await expect.poll(async () => (await visibleRunNames(table))[0]).toBe("bulk-1999");
    const rendered = await table.locator("[data-run-id]").count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(80);
    await shot("top");

    await table.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(async () => (await visibleRunNames(table)).at(-1)).toBe("bulk-0000");
    expect(await table.locator("[data-run-id]").count()).toBeLessThan(80);
    await shot("bottom");

    // Grouping thousands of rows stays windowed too.
    await page.goto(`${project.runsUrl}?sort=metrics.score&dir=desc&group=width`);
    await settled(page);
    await expect(table.locator('[data-group="1"]')).toContainText("334");
    expect(await table.locator("[data-run-id]").count()).toBeLessThan(80);
  });
});
