import { addMemberViaInvitation, expect, signInViaApi, signUpViaApi, test } from "../fixtures";
import { orgIdOf, settled } from "../foundation/helpers";
import { createProject, createRun, finishRun, linePaths, logCurve, logValues, TINY_PNG } from "./helpers";

test.describe("run page", () => {
  test("a RUNNING run's chart grows as it logs, then it finishes", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const request = page.context().request;
    const run = await createRun(request, project.id, {
      name: "live-train",
      experiment: "vision-baselines",
      params: { model: "mlp", optimizer: { name: "adam", lr: 0.001 }, layers: 3 },
      tags: { team: "vision" },
      note: "Baseline with the new augmentation.",
      code: { repo: "github.com/acme/vision", commit: "0123456789abcdef0123", dirty: true },
      environment: { host: "gpu-7", python: "3.11.9", packages: { torch: "2.4.0", numpy: "2.1.0" } },
    });
    await logCurve(request, project.id, run.id, "loss", 0, 20, (s) => 1 / (s + 1));
    await logValues(request, project.id, run.id, "odd", [1, -Infinity, NaN]);

    await page.goto(`${project.runsUrl}/${run.id}`);
    await settled(page);
    await expect(page.getByRole("heading", { name: "live-train" })).toBeVisible();
    const trail = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect(trail.getByRole("link")).toHaveText(["Runs"]);
    await expect(trail.getByRole("link")).toHaveAttribute("href", project.runsUrl);
    await expect(trail.locator('[aria-current="page"]')).toHaveText(/^live-train #\d+$/);
    await expect(page.locator('[data-status="RUNNING"]').first()).toBeVisible();
    await expect(page.getByText("live", { exact: true })).toBeVisible();
    await expect(page.locator("[data-code]")).toContainText("github.com/acme/vision@0123456789ab");
    await expect(page.locator("[data-code]")).toContainText("dirty");
    await expect(page.locator('[data-param="optimizer.lr"]')).toContainText("0.001");
    await expect(page.locator('[data-tag="team"]')).toHaveText("team=vision");
    await expect(page.getByText("Baseline with the new augmentation.")).toBeVisible();
    // NaN and infinities are spelled out, not dropped.
    const odd = page.locator('[data-metric-row="odd"]');
    await expect(odd.locator("td").nth(1)).toHaveText("NaN");
    await expect(odd.locator("td").nth(2)).toHaveText("−∞");
    await expect(odd.locator("td").nth(3)).toHaveText("1");

    const loss = page.locator('figure[data-metric="loss"]');
    await expect(loss).toContainText("20 points");
    const before = await linePaths(loss);
    expect(before).toHaveLength(1);
    await page.locator("summary", { hasText: "host: gpu-7" }).click();
    await expect(page.getByText('"torch": "2.4.0"')).toBeVisible();
    await shot("running-before");

    // More points arrive while the page is open; its 2 s polling picks them up without a reload.
    await logCurve(request, project.id, run.id, "loss", 20, 60, (s) => 1 / (s + 1));
    await expect(loss).toContainText("60 points", { timeout: 10_000 });
    await expect(page.locator('[data-metric-row="loss"] td').nth(4)).toHaveText("59");
    await expect.poll(async () => (await linePaths(loss))[0]).not.toBe(before[0]);
    await shot("running-after");

    await finishRun(request, project.id, run.id);
    await expect(page.locator('[data-status="FINISHED"]').first()).toBeVisible({ timeout: 10_000 });
    await expect(page.getByText("live", { exact: true })).toHaveCount(0);
  });

  test("artifacts: image inline, JSON pretty-printed, CSV as a table, others as downloads", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const request = page.context().request;
    const run = await createRun(request, project.id, { name: "with-artifacts", status: "RUNNING" });
    await logCurve(request, project.id, run.id, "loss", 0, 50, (s) => Math.exp(-s / 10));
    await finishRun(request, project.id, run.id);
    const base = `/api/v1/projects/${project.id}/runs/${run.id}/artifacts`;
    const put = async (path: string, data: Buffer | string, type?: string) => {
      const res = await request.put(`${base}/${path}`, { data, headers: type ? { "content-type": type } : {} });
      expect(res.status(), `PUT ${path}`).toBe(201);
    };
    await put("plots/loss.png", TINY_PNG, "image/png");
    await put("metrics/summary.json", JSON.stringify({ rmse: 3.21, folds: [3.1, 3.3], model: { kind: "gbdt", depth: 6 } }));
    const csv = ["fold,rmse,mae", ...Array.from({ length: 300 }, (_, i) => `${i},${(3 + i / 1000).toFixed(3)},"${i % 2 ? "a,b" : "c"}"`)].join("\n");
    await put("eval/folds.csv", csv);
    await put("model.onnx", Buffer.from([8, 1, 18, 4, 116, 101, 115, 116]));

    await page.goto(`${project.runsUrl}/${run.id}`);
    await settled(page);
    const list = page.getByRole("list", { name: "Artifacts" });
    await expect(list.getByRole("button")).toHaveCount(4);

    await list.getByRole("button", { name: /plots\/loss\.png/ }).click();
    const image = page.locator('[data-artifact-viewer="plots/loss.png"] img');
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(32);
    await shot("image");

    await list.getByRole("button", { name: /metrics\/summary\.json/ }).click();
    const json = page.locator('[data-preview="json"]');
    await expect(json).toContainText('"kind": "gbdt"');
    expect(await json.textContent()).toContain('{\n  "rmse": 3.21,');
    await shot("json");

    await list.getByRole("button", { name: /eval\/folds\.csv/ }).click();
    const table = page.locator('[data-preview="csv"] table');
    await expect(table.locator("thead th")).toHaveText(["fold", "rmse", "mae"]);
    await expect(table.locator("tbody tr")).toHaveCount(200);
    await expect(table.locator("tbody tr").nth(1).locator("td").nth(2)).toHaveText("a,b");
    await expect(page.getByText("First 200 rows shown.")).toBeVisible();
    await shot("csv");

    await list.getByRole("button", { name: /model\.onnx/ }).click();
    await expect(page.getByText("No preview for this type")).toBeVisible();
    await expect(page.locator('[data-artifact-viewer="model.onnx"] a[download]')).toHaveAttribute("href", `${base}/model.onnx`);
  });

  test("members edit tags and the note; an unknown run is an error state", async ({ page, account, shot }) => {
    const project = await createProject(page, account);
    const request = page.context().request;
    const run = await createRun(request, project.id, { name: "taggable", tags: { stage: "dev", scratch: "1" } });
    await finishRun(request, project.id, run.id);
    await page.goto(`${project.runsUrl}/${run.id}`);
    await settled(page);
    await page.getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("form", { name: "Edit tags and note" });
    await form.getByLabel("Tag stage", { exact: true }).fill("prod");
    await form.getByRole("button", { name: "Remove tag scratch" }).click();
    await expect(form.getByLabel("Tag scratch", { exact: true })).toHaveCount(0);
    await form.getByLabel("New tag key").fill("reviewed");
    await form.getByLabel("New tag value").fill("yes");
    await form.getByLabel("Note").fill("Promoted after review.");
    await shot("edit-tags");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.locator('[data-tag="stage"]')).toHaveText("stage=prod");
    await expect(page.locator('[data-tag="reviewed"]')).toHaveText("reviewed=yes");
    await expect(page.locator("[data-note]")).toHaveText("Promoted after review.");
    await expect(page.locator('[data-tag="scratch"]')).toHaveCount(0);
    await expect(page.getByRole("list", { name: "Tags" }).locator("li")).toHaveCount(2);

    await page.goto(`${project.runsUrl}/doesnotexist0000`);
    await expect(page.getByRole("alert").filter({ hasText: "Could not load this run" })).toContainText(/not found/i);
  });

  test("a viewer reads runs but gets no edit action", async ({ page, account }) => {
    const project = await createProject(page, account);
    const request = page.context().request;
    const run = await createRun(request, project.id, { name: "read-only", tags: { stage: "dev" } });
    await logCurve(request, project.id, run.id, "loss", 0, 10, (s) => 1 / (s + 1));
    await finishRun(request, project.id, run.id);
    const viewer = await signUpViaApi(request, "viewer");
    await addMemberViaInvitation(request, await orgIdOf(page, account.orgSlug), viewer, "VIEWER");
    await page.context().clearCookies();
    await signInViaApi(page, viewer.email);

    await page.goto(`${project.runsUrl}/${run.id}`);
    await settled(page);
    await expect(page.locator('[data-tag="stage"]')).toHaveText("stage=dev");
    await expect(page.locator('figure[data-metric="loss"]')).toContainText("10 points");
    await expect(page.getByRole("button", { name: "Edit" })).toHaveCount(0);
    await page.goto(project.runsUrl);
    await expect(page.getByRole("table", { name: "Runs" }).locator("[data-run-id]")).toHaveCount(1);
  });
});
