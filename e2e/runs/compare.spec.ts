import { expect, test } from "../fixtures";
import { createProject, createRun, finishRun, linePaths, logCurve } from "./helpers";

test.describe("compare runs", () => {
  test("overlaid charts, smoothing and log scale, params diff, best metric, scatter", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const request = page.context().request;
    const runs = [
      { name: "lr-0.1", params: { model: "gbdt", depth: 6, lr: 0.1 }, rate: 0.02 },
      { name: "lr-0.03", params: { model: "gbdt", depth: 6, lr: 0.03 }, rate: 0.01 },
      { name: "lr-0.01", params: { model: "gbdt", depth: 6, lr: 0.01 }, rate: 0.004 },
    ];
    const ids: string[] = [];
    const t0 = Date.now() - 3_600_000;
    for (const [i, r] of runs.entries()) {
      const run = await createRun(request, project.id, { name: r.name, experiment: "lr-sweep", params: r.params });
      ids.push(run.id);
      // A noisy decaying loss and a rising accuracy, 400 steps each; slower runs take longer per step.
      const at = (s: number) => t0 + s * 150 * (i + 1);
      await logCurve(request, project.id, run.id, "loss", 0, 400, (s) => 2 * Math.exp(-r.rate * s) + 0.05 * Math.sin(s / (i + 2)) + 0.1, at);
      await logCurve(request, project.id, run.id, "accuracy", 0, 400, (s) => 0.95 - 0.5 * Math.exp(-r.rate * s), at);
      await finishRun(request, project.id, run.id);
    }

    await page.goto(`${project.runsUrl}/compare?ids=${ids.join(",")}`);
    await expect(page.getByRole("heading", { name: "Compare 3 runs" })).toBeVisible();
    // Generous: on a small CI host this can share the CPU with the 2,000-run seeding of another spec.
    await expect(page.locator("figure[data-metric]")).toHaveCount(2, { timeout: 45_000 });
    for (const r of runs) await expect(page.getByText(r.name, { exact: true }).first()).toBeVisible();

    const loss = page.locator('figure[data-metric="loss"]');
    const accuracy = page.locator('figure[data-metric="accuracy"]');
    await expect(loss).toContainText("1,200 points");
    expect(await linePaths(loss)).toHaveLength(3);
    expect(await linePaths(accuracy)).toHaveLength(3);

    // Params diff: lr differs, depth does not; the toggle hides rows that agree.
    const lr = page.locator('[data-param-row="lr"]');
    await expect(lr).toHaveAttribute("data-differs", "true");
    await expect(lr).toContainText("differs");
    await expect(page.locator('[data-param-row="depth"]')).toHaveAttribute("data-differs", "false");
    // Best per metric: the fastest decay has the lowest final loss and the highest accuracy.
    await expect(page.locator('[data-metric-row="loss"] td[data-best]')).toHaveCount(1);
    const bestLoss = page.locator('[data-metric-row="loss"] td').nth(0);
    await expect(bestLoss).toHaveAttribute("data-best", "true");
    await expect(page.locator('[data-metric-row="accuracy"] td').nth(0)).toHaveAttribute("data-best", "true");
    // Scatter: one dot per run.
    await expect(page.locator(".recharts-scatter-symbol")).toHaveCount(3);
    await shot("compare");

    await page.getByRole("switch", { name: "Only differing" }).check();
    await expect(page.locator('[data-param-row="depth"]')).toHaveCount(0);
    await expect(lr).toBeVisible();

    // Smoothing changes the drawn lines but keeps them; so does the log scale.
    const raw = await linePaths(loss);
    await page.getByLabel("Smoothing").fill("0.9");
    await expect.poll(async () => (await linePaths(loss)).join("|")).not.toBe(raw.join("|"));
    expect(await linePaths(loss)).toHaveLength(3);
    await page.getByRole("switch", { name: "Log scale" }).check();
    await expect(loss).toContainText("log scale");
    expect(await linePaths(loss)).toHaveLength(3);
    await page.getByRole("button", { name: "Relative time" }).click();
    await expect(loss.getByText("time since the run's first point")).toBeVisible();
    expect(await linePaths(loss)).toHaveLength(3);
    await shot("smoothed-log-time");
  });

  test("a long series is downsampled by the server and still draws fast", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const request = page.context().request;
    const long = await createRun(request, project.id, { name: "long", experiment: "scale" });
    const short = await createRun(request, project.id, { name: "short", experiment: "scale" });
    await logCurve(request, project.id, long.id, "loss", 0, 50_000, (s) => 1 / Math.sqrt(s + 1) + 0.02 * Math.sin(s / 50));
    await logCurve(request, project.id, short.id, "loss", 0, 5_000, (s) => 1.2 / Math.sqrt(s + 1));

    const response = page.waitForResponse((r) => r.url().includes("run.compare"));
    await page.goto(`${project.runsUrl}/compare?ids=${long.id},${short.id}`);
    // 55,000 stored points travel as about 800 per series (the chart's width), extremes included.
    const body = (await (await response).json()) as { result: { data: { json: { series: { key: string; points: unknown[]; total: number; sampled: boolean }[] } } } }[];
    const series = body[0]!.result.data.json.series;
    expect(series.map((s) => s.total).sort((a, b) => a - b)).toEqual([5_000, 50_000]);
    for (const s of series) {
      expect(s.sampled).toBe(true);
      expect(s.points.length).toBeLessThanOrEqual(1_600);
    }
    const loss = page.locator('figure[data-metric="loss"]');
    await expect(loss).toContainText("55,000 points · downsampled");
    expect(await linePaths(loss)).toHaveLength(2);
    // The chart draws one vertex per grid row at most, however long the series.
    const vertices = await loss.locator("path.recharts-curve").first().evaluate((el) => (el.getAttribute("d") ?? "").split(/[ML]/).length);
    expect(vertices).toBeLessThan(1_000);
    await shot("long");
  });

  test("no ids shows the empty state", async ({ page, account }) => {
    const project = await createProject(page, account);
    await page.goto(`${project.runsUrl}/compare`);
    await expect(page.getByText("No runs to compare")).toBeVisible();
  });
});
