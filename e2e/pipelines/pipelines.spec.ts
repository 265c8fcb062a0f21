import { addMemberViaInvitation, expect, signInViaApi, signUpViaApi, test, trpc } from "../fixtures";
import { orgIdOf, uniqueId } from "../foundation/helpers";
import { projectWithDeliveries } from "../training/helpers";
import { expectRunState, PIPELINE_TIMEOUT, pipelineShot, recordStepStates, smallPipeline, stepStates } from "./helpers";

test.describe("pipelines in the UI", () => {
  test("write a pipeline with a located YAML error, fix and save it, run it and watch the run", async ({ page, account }) => {
    test.setTimeout(PIPELINE_TIMEOUT * 3);
    const project = await projectWithDeliveries(page, account, 1500);

    await page.goto(project.base);
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Pipelines" }).click();
    await expect(page).toHaveURL(`${project.base}/pipelines`);
    await expect(page.getByText("No pipelines yet")).toBeVisible();
    await expect(page.getByText("cairn pipeline push cairn.yaml")).toBeVisible();
    await pipelineShot(page, "list-empty");

    // The editor starts from a template on the project's dataset, already a valid pipeline.
    await page.getByRole("button", { name: "New pipeline" }).first().click();
    await expect(page).toHaveURL(`${project.base}/pipelines/new`);
    const editor = page.getByLabel("Pipeline YAML");
    await expect(editor).toHaveValue(/dataset: deliveries/);
    await expect(page.locator('[data-check="ok"]')).toBeVisible();
    await expect(page.getByRole("list", { name: "Parsed steps" }).locator("[data-parsed-step]")).toHaveCount(5);

    // A need naming no step: the problem is found while typing and shown at its line.
    await editor.fill(smallPipeline("valdate"));
    await expect(page.locator('[data-check="problems"]')).toBeVisible();
    await expect(page.locator('[data-problem-line="12"]')).toContainText("valdate");
    await expect(page.locator('[data-gutter-line="12"]')).toHaveClass(/bg-rose-100/);
    await expect(page.getByRole("alert", { name: "YAML problems" })).toContainText("Line 12");
    await pipelineShot(page, "editor-error");
    // Save answers the same located problems (the server checks again) and stays in the editor.
    await page.getByRole("button", { name: "Save pipeline" }).click();
    await expect(page.locator('[data-problems-from="save"]')).toContainText('Line 12:13 steps[1].needs[0] needs "valdate": no step has that id');
    await expect(page).toHaveURL(`${project.base}/pipelines/new`);

    await editor.fill(smallPipeline("validate"));
    await expect(page.locator('[data-check="ok"]')).toBeVisible();
    await expect(page.locator('[data-problem-line="12"]')).toHaveCount(0);
    await expect(page.locator("[data-parsed-step]")).toHaveText([/validate\s*validate-data/, /train\s*train\s*after validate/]);
    await expect(page.getByRole("list", { name: "Next cron runs" }).locator("li")).toHaveCount(5);
    await expect(page.getByRole("list", { name: "Next cron runs" }).locator("li").first()).toContainText("03:00 UTC");
    await pipelineShot(page, "editor-valid");
    await page.getByRole("button", { name: "Save pipeline" }).click();

    await expect(page).toHaveURL(`${project.base}/pipelines/eta-nightly`);
    await expect(page.getByRole("heading", { name: "eta-nightly" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Triggers" })).toContainText("cron 0 3 * * * (UTC)");
    await expect(page.locator("[data-budget]")).toContainText("no daily limit");
    await expect(page.getByRole("list", { name: "Revisions" }).locator("[data-revision]")).toHaveCount(1);
    // The creator owns the organisation, so the push webhook and its secret are shown, and the secret rotates.
    await expect(page.locator('[data-webhook="GitHub URL"]')).toContainText(/\/api\/v1\/hooks\/pipelines\/[a-z0-9]+\/github$/);
    await expect(page.locator('[data-webhook="GitLab URL"]')).toContainText(/\/gitlab$/);
    const secret = page.locator('[data-webhook="Secret"]');
    await expect(secret).toContainText("••••");
    await page.getByRole("button", { name: "Show" }).click();
    const before = await secret.innerText();
    expect(before.length).toBeGreaterThanOrEqual(20);
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    await expect(secret).not.toHaveText(before);
    expect((await secret.innerText()).length).toBeGreaterThanOrEqual(20);

    // Run with a parameter from the spec, then watch the run page go through its states.
    await page.getByRole("button", { name: "Run pipeline" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByLabel("rounds")).toHaveValue("20");
    await dialog.getByLabel("rounds").fill("25");
    await dialog.getByRole("button", { name: "Start run" }).click();
    await expect(page).toHaveURL(/\/pipelines\/eta-nightly\/runs\/[a-z0-9]+$/);
    await recordStepStates(page);
    await expect(page.getByRole("list", { name: "Params" })).toContainText("rounds=25");
    await expect(page.locator('[data-step="train"][data-step-state="RUNNING"]')).toBeVisible({ timeout: PIPELINE_TIMEOUT });
    await pipelineShot(page, "run-running");
    await expectRunState(page, "SUCCEEDED");
    // The recorder looks every 50 ms: the last state may land just after the page shows it.
    await expect.poll(async () => (await stepStates(page)).train?.at(-1)).toBe("SUCCEEDED");
    const states = await stepStates(page);
    expect(states.train).toContain("RUNNING");
    expect(states.validate!.at(-1)).toBe("SUCCEEDED");
    await expect(page.locator('[data-edge="validate>train"]')).toHaveCount(1);
    // The trail names the run as the page shown and links back up to the pipeline and the list.
    const trail = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect(trail.getByRole("link")).toHaveText(["Pipelines", "eta-nightly"]);
    await expect(trail.locator('[aria-current="page"]')).toHaveText("run #1");
    await expect(trail.getByRole("link", { name: "eta-nightly" })).toHaveAttribute("href", `${project.base}/pipelines/eta-nightly`);

    // The training step links to the run it trained, and shows its log.
    await page.locator('[data-step="train"]').click();
    await expect(page.locator('[data-selected-step="train"]')).toBeVisible();
    await expect(page.getByRole("list", { name: "Produced" }).getByRole("link", { name: /Training run/ })).toBeVisible();
    await pipelineShot(page, "run-finished");
    await page.getByRole("list", { name: "Produced" }).getByRole("link", { name: /Training run/ }).click();
    await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
    await page.goBack();

    await page.goto(`${project.base}/pipelines/eta-nightly`);
    await expect(page.locator('[data-pipeline-run="1"]').locator('[data-run-status="SUCCEEDED"]')).toBeVisible();
    await expect(page.locator('[data-webhook="GitHub URL"]')).toBeVisible();
    await pipelineShot(page, "pipeline");

    // Editing stores a second revision; the history lists both.
    await page.getByRole("button", { name: "Edit YAML" }).click();
    await expect(page).toHaveURL(`${project.base}/pipelines/eta-nightly/edit`);
    await expect(trail.getByRole("link")).toHaveText(["Pipelines", "eta-nightly"]);
    await expect(trail.locator('[aria-current="page"]')).toHaveText("edit");
    await expect(page.getByLabel("Pipeline YAML")).toHaveValue(smallPipeline("validate"));
    await page.getByLabel("Pipeline YAML").fill(smallPipeline("validate").replace("rounds: 20", "rounds: 30"));
    await expect(page.locator('[data-check="ok"]')).toBeVisible();
    await page.getByRole("button", { name: "Save pipeline" }).click();
    await expect(page).toHaveURL(`${project.base}/pipelines/eta-nightly`);
    await expect(page.getByRole("list", { name: "Revisions" }).locator("[data-revision]")).toHaveCount(2);
    await expect(page.getByText("Revision 2 of 2, sent from ui.")).toBeVisible();
    // The history opens an older revision's YAML.
    await page.getByRole("list", { name: "Revisions" }).getByRole("button", { name: "r1" }).click();
    await expect(page.getByRole("textbox", { name: "Pipeline YAML of revision 1" })).toBeVisible();
    await page.getByRole("list", { name: "Revisions" }).getByRole("button", { name: "r2" }).click();
    await expect(page.getByRole("textbox", { name: "Current pipeline YAML" })).toBeVisible();
    await expect(page.getByLabel("Current pipeline YAML")).toHaveValue(/rounds: 30/);

    await page.goto(`${project.base}/pipelines`);
    const row = page.locator('[data-pipeline="eta-nightly"]');
    await expect(row.locator('[data-run-status="SUCCEEDED"]')).toBeVisible();
    await expect(row).toContainText("#1");
    await expect(row).toContainText("cron 0 3 * * * (UTC)");
    await pipelineShot(page, "list");
  });

  test("a second run reuses cached steps; a running step is cancelled and retried", async ({ page, account }) => {
    test.setTimeout(PIPELINE_TIMEOUT * 4);
    const project = await projectWithDeliveries(page, account, 1500);
    const request = page.context().request;
    const saved = await trpc<{ id: string }>(request, "mutation", "pipeline.save", { projectId: project.id, yaml: smallPipeline("validate"), source: "api" });
    const first = await trpc<{ id: string }>(request, "mutation", "pipeline.run", { projectId: project.id, pipelineId: saved.id, params: { rounds: 20 } });
    await expect
      .poll(async () => (await trpc<{ status: string }>(request, "query", "pipeline.runGet", { projectId: project.id, runId: first.id })).status, { timeout: PIPELINE_TIMEOUT, intervals: [1000] })
      .toBe("SUCCEEDED");

    // Same data, code and params: both steps reuse run #1's outputs and say so.
    await page.goto(`${project.base}/pipelines/eta-nightly`);
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Start run" }).click();
    await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
    await expectRunState(page, "SUCCEEDED");
    for (const step of ["validate", "train"]) {
      await expect(page.locator(`[data-step="${step}"]`)).toHaveAttribute("data-step-state", "CACHED");
      await expect(page.locator(`[data-step="${step}"]`)).toContainText("cached from #1");
    }
    await page.locator('[data-step="train"]').click();
    await expect(page.locator('[data-cached-from="1"]')).toContainText("cached from run #1");
    await pipelineShot(page, "run-cached");

    // Other params: train runs again (long enough to be caught running); cancelled, then retried on its own.
    await page.goto(`${project.base}/pipelines/eta-nightly`);
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.getByRole("dialog").getByLabel("rounds").fill("3000");
    await page.getByRole("dialog").getByRole("button", { name: "Start run" }).click();
    await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
    await recordStepStates(page);
    await expect(page.locator('[data-step="train"][data-step-state="RUNNING"]')).toBeVisible({ timeout: PIPELINE_TIMEOUT });
    await expect(page.locator('[data-step="validate"]')).toHaveAttribute("data-step-state", "CACHED");
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel run" }).click();
    await expectRunState(page, "CANCELLED", 60_000);
    await expect(page.locator('[data-step="train"]')).toHaveAttribute("data-step-state", "CANCELLED");
    await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
    await page.locator('[data-step="train"]').click();
    await pipelineShot(page, "run-cancelled");

    await page.getByRole("button", { name: "Retry step" }).click();
    await expect(page.locator('[data-step="train"]')).toContainText("try 2", { timeout: 30_000 });
    await expectRunState(page, "SUCCEEDED");
    await expect.poll(async () => (await stepStates(page)).train?.at(-1)).toBe("SUCCEEDED");
    const states = await stepStates(page);
    expect(states.train).toEqual(expect.arrayContaining(["RUNNING", "CANCELLED", "SUCCEEDED"]));
    // The step before it kept its (cached) outputs: it was not run again.
    expect(states.validate).toEqual(["CACHED"]);
    await expect(page.getByRole("button", { name: "Retry step" })).toHaveCount(0);
    await pipelineShot(page, "run-retried");

    // Archived: gone from the list, its page and runs still readable, no longer runnable.
    await page.goto(`${project.base}/pipelines/eta-nightly`);
    await page.getByRole("button", { name: "Archive" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Archive" }).click();
    await expect(page).toHaveURL(`${project.base}/pipelines`);
    await expect(page.getByText("No pipelines yet")).toBeVisible();
    await page.goto(`${project.base}/pipelines/eta-nightly`);
    await expect(page.locator("[data-archived]")).toBeVisible();
    await expect(page.getByRole("table", { name: "Pipeline runs" }).locator("[data-pipeline-run]")).toHaveCount(3);
    await expect(page.getByRole("button", { name: "Run pipeline" })).toHaveCount(0);
  });

  test("a viewer reads pipelines and runs but gets no run, edit or webhook controls; another organisation gets a 404", async ({ page, account, browser }) => {
    const request = page.context().request;
    const orgId = await orgIdOf(page, account.orgSlug);
    const project = await trpc<{ id: string; slug: string }>(request, "mutation", "project.create", { orgId, name: "Read only", slug: uniqueId("ro") });
    const saved = await trpc<{ id: string }>(request, "mutation", "pipeline.save", { projectId: project.id, yaml: smallPipeline("validate"), source: "api" });
    // This project has no deliveries dataset, so the run fails at its first step.
    const run = await trpc<{ id: string }>(request, "mutation", "pipeline.run", { projectId: project.id, pipelineId: saved.id, params: {} });
    const viewer = await signUpViaApi(request, "viewer");
    await addMemberViaInvitation(request, orgId, viewer, "VIEWER");
    const url = `/${account.orgSlug}/${project.slug}/pipelines`;

    await page.context().clearCookies();
    await signInViaApi(page, viewer.email);
    await page.goto(url);
    await expect(page.locator('[data-pipeline="eta-nightly"]').locator('[data-run-status="FAILED"]')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "New pipeline" })).toHaveCount(0);
    await page.getByRole("link", { name: "eta-nightly" }).click();
    await expect(page.getByLabel("Current pipeline YAML")).toHaveValue(/name: eta-nightly/);
    await expect(page.getByRole("list", { name: "Next cron runs" }).locator("li")).toHaveCount(5);
    await expect(page.getByRole("button", { name: "Run pipeline" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Edit YAML" })).toHaveCount(0);
    await expect(page.getByText("Push webhooks")).toHaveCount(0);

    await page.goto(`${url}/eta-nightly/runs/${run.id}`);
    await expectRunState(page, "FAILED");
    await expect(page.locator('[data-step="validate"]')).toHaveAttribute("data-step-state", "FAILED");
    await expect(page.locator('[data-step="train"]')).toHaveAttribute("data-step-state", /SKIPPED|CANCELLED/);
    await expect(page.locator("[data-step-message]")).toContainText("deliveries");
    await expect(page.getByRole("button", { name: "Retry step" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

    // Someone outside the organisation: the pipeline page is a plain 404.
    const context = await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL });
    const outsider = await context.newPage();
    try {
      const other = await signUpViaApi(outsider.context().request, "outsider");
      await signInViaApi(outsider, other.email);
      const res = await outsider.goto(`${url}/eta-nightly`);
      expect(res?.status()).toBe(404);
    } finally {
      await context.close();
    }
  });

  test("the template's whole chain links to what each step produced; a failed gate is retried once a policy exists", async ({ page, account }) => {
    test.setTimeout(PIPELINE_TIMEOUT * 3);
    const project = await projectWithDeliveries(page, account, 1500);
    const request = page.context().request;

    // The template as it comes: validate → train → evaluate → register → gate on the deliveries data.
    await page.goto(`${project.base}/pipelines/new`);
    await expect(page.locator('[data-check="ok"]')).toBeVisible();
    await page.getByRole("button", { name: "Save pipeline" }).click();
    await expect(page).toHaveURL(`${project.base}/pipelines/eta-retrain`);
    await page.getByRole("button", { name: "Run pipeline" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Start run" }).click();
    await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);

    // The new model has no gate policy yet, so the gate fails and the run with it.
    await expectRunState(page, "FAILED");
    for (const step of ["validate", "train", "evaluate", "register"]) await expect(page.locator(`[data-step="${step}"]`)).toHaveAttribute("data-step-state", "SUCCEEDED");
    await expect(page.locator('[data-step="gate"]')).toHaveAttribute("data-step-state", "FAILED");
    await expect(page.locator('[data-selected-step="gate"]')).toBeVisible();
    await expect(page.locator("[data-step-message]")).toContainText("no gate policy");
    await pipelineShot(page, "run-failed");

    const produced = page.getByRole("list", { name: "Produced" });
    const linkOf = async (step: string, name: RegExp) => {
      await page.locator(`[data-step="${step}"]`).click();
      const link = produced.getByRole("link", { name });
      await expect(link).toBeVisible();
      return link.getAttribute("href");
    };
    expect(await linkOf("validate", /Dataset version/)).toBe(`${project.base}/datasets/deliveries/versions/${project.versionId}`);
    const trained = await linkOf("train", /Training run/);
    expect(trained).toMatch(new RegExp(`^${project.base}/runs/[a-z0-9]+$`));
    expect(await linkOf("evaluate", /Evaluation report/)).toMatch(new RegExp(`^${trained}/evaluations/[a-z0-9]+$`));
    expect(await linkOf("register", /Model version eta-gbdt v1/)).toBe(`${project.base}/models/eta-gbdt/versions/1`);
    await produced.getByRole("link", { name: /Model version/ }).click();
    await expect(page).toHaveURL(`${project.base}/models/eta-gbdt/versions/1`);
    await page.goBack();

    // A policy without approvals; then Retry runs the gate again without re-running the steps before it.
    const model = await trpc<{ id: string }>(request, "query", "model.get", { projectId: project.id, name: "eta-gbdt" });
    const yaml = "approvals: { required: 0 }\ndata: { split: test }\nchecks: { data_validation: true }\n";
    await trpc(request, "mutation", "gate.savePolicy", { projectId: project.id, modelId: model.id, yaml, comment: "e2e" });
    await page.locator('[data-step="gate"]').click();
    await page.getByRole("button", { name: "Retry step" }).click();
    await expectRunState(page, "SUCCEEDED");
    await expect(page.locator('[data-step="gate"]')).toContainText("try 2");
    for (const step of ["validate", "train", "evaluate", "register"]) await expect(page.locator(`[data-step="${step}"]`)).not.toContainText("try 2");
    expect(await linkOf("gate", /Gate report \(eta-gbdt v1\)/)).toBe(`${project.base}/models/eta-gbdt/versions/1`);
    await pipelineShot(page, "run-gate-retried");
  });
});
