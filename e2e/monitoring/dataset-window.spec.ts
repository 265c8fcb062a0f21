/**
 * A monitor whose current window is each new version of a dataset (batch scoring), set up from the
 * settings form: a refused save shows the server's message, the saved window judges the next version
 * uploaded through the REST API (the worker scores it with the stable version), and the report names
 * the version it judged. Its own project and deployment, so the demo's monitor is left alone.
 */
import { expect, test, trpc } from "../fixtures";
import { choose } from "../foundation/helpers";
import { projectWithVersions } from "../deployments/helpers";

/** Trips like the linear model's inputs; `shift` moves every distance up. */
const trips = (n: number, seed: number, shift = 0) =>
  "distance_km,region,minutes\n" + Array.from({ length: n }, (_, i) => `${(((i * 7919 + seed) % 200) / 10 + shift).toFixed(1)},${(i + seed) % 3 === 0 ? "south" : "north"},${10 + (i % 30)}`).join("\n") + "\n";

test("a dataset window: chosen in the settings, each new version judged and named in the report", async ({ page, account }) => {
  test.setTimeout(5 * 60_000);
  const request = page.context().request;
  const project = await projectWithVersions(page, account, 1);
  const upload = async (dataset: string, csv: string) => {
    const res = await request.put(`/api/v1/projects/${project.slug}/datasets/${dataset}/versions?org=${account.orgSlug}&fileName=${dataset}.csv`, { data: csv, headers: { "content-type": "text/csv" } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { version: { id: string; number: number } }).version;
  };
  const reference = await upload("trips", trips(600, 1));
  await upload("nightly", trips(300, 2));
  await trpc(request, "mutation", "deployment.create", { projectId: project.id, environment: "staging", name: "eta-batch", modelId: project.modelId, versionId: project.versions[0]!.id });
  // The worker creates the monitor from the deployment's event.
  await expect.poll(async () => (await trpc<{ name: string }[]>(request, "query", "monitor.list", { projectId: project.id })).map((m) => m.name), { timeout: 60_000 }).toContain("eta-batch");
  await trpc(request, "mutation", "monitor.update", { projectId: project.id, name: "eta-batch", patch: { reference: { kind: "dataset", datasetVersionId: reference.id } } });

  await page.goto(`${project.base}/monitors/eta-batch`);
  const settings = page.getByRole("form", { name: "Monitor settings" });
  await choose(page, settings.locator('[data-select="window"]'), "new version of a dataset");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.locator("[data-settings-error]")).toContainText("choose the dataset whose new versions are judged");
  await choose(page, settings.locator('[data-select="dataset"]'), "nightly (v1)");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.locator("[data-settings-saved]")).toBeVisible();
  await expect(page.getByText("each new version of a dataset")).toBeVisible();
  await settings.screenshot({ path: "test-results/screenshots/monitors-dataset-window-settings.png" });

  // A new version with longer trips: the worker judges it without a click.
  await upload("nightly", trips(300, 3, 15));
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.locator("[data-report-dataset]").textContent({ timeout: 5_000 }).catch(() => null);
      },
      { timeout: 2 * 60_000, intervals: [3_000] },
    )
    .toBe("dataset nightly v2");
  await expect(page.locator("[data-report]")).toHaveAttribute("data-report-verdict", "drifted");
  await expect(page.locator("[data-prediction-drift]")).toHaveAttribute("data-prediction-drift", "true");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screenshots/monitors-dataset-window-report.png", fullPage: true });
});
