import { addMemberViaInvitation, expect, signInViaApi, signUpViaApi, test, trpc } from "../fixtures";
import { choose, orgIdOf, settled } from "../foundation/helpers";
import { shotFromTop } from "../datasets/helpers";
import { projectWithDeliveries, startTraining, TRAINING_TIMEOUT } from "../training/helpers";
import { approveAs, finishedRun, MODEL, registerFromRunPage } from "./helpers";

const COMMON = { target: "minutes", exclude: ["delivery_id", "late"], experiment: "ETA", sensitiveColumn: "region" };

test.describe("model registry, gates and approvals", () => {
  test("register a champion, gate a worse and a better challenger, approve by a second user, promote and roll back", async ({ page, account, browser, shot }) => {
    test.setTimeout(TRAINING_TIMEOUT * 5);
    const request = page.context().request;
    const project = await projectWithDeliveries(page, account);
    const models = `${project.base}/models`;

    // The Models tab is reachable from the project's navigation and explains how to register.
    await page.goto(project.base);
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Models" }).click();
    await expect(page).toHaveURL(models);
    await expect(page.getByText("No registered models yet")).toBeVisible();
    await expect(page.getByText("Register model", { exact: false })).toBeVisible();
    await shot("empty");

    // Three runs on the same data: a ridge baseline, an underfit GBDT (worse) and a tuned GBDT (better).
    const baseline = await startTraining(page, project, { ...COMMON, trainer: "ridge", params: { alpha: 1 }, name: "ridge-baseline" });
    const worse = await startTraining(page, project, { ...COMMON, trainer: "gbdt", params: { rounds: 2, learningRate: 0.1, maxDepth: 2 }, name: "gbdt-underfit" });
    const better = await startTraining(page, project, { ...COMMON, trainer: "gbdt", params: { rounds: 300, learningRate: 0.1, maxDepth: 4 }, name: "gbdt-tuned" });

    // Register the baseline from its run page as a new model, then make it champion by an owner's override.
    await finishedRun(page, `${project.runsUrl}/${baseline.id}`);
    await registerFromRunPage(page, MODEL);
    await expect(page.locator('[data-lineage-node="run"]')).toContainText("ridge-baseline #1");
    await expect(page.locator('[data-lineage-node="data"]')).toContainText("deliveries v1");
    await expect(page.locator('[data-snapshot-metric="rmse"]')).toBeVisible();
    await expect(page.getByRole("table", { name: "Signature" })).toBeVisible();
    await expect(page.getByText("Not gated yet")).toBeVisible();

    await page.getByRole("navigation", { name: "Model" }).getByRole("link", { name: "Versions" }).click();
    const v1 = page.locator('tr[data-version="1"]');
    await expect(v1.locator("[data-gate]")).toHaveAttribute("data-gate", "none");
    await v1.getByRole("button", { name: "Promote" }).click();
    let dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("list", { name: "Blockers" })).toContainText("policy");
    await expect(dialog.getByRole("button", { name: "Override and promote" })).toBeDisabled();
    await dialog.getByLabel("Reason for the override").fill("First model: the ridge baseline is today's production");
    await dialog.getByRole("button", { name: "Override and promote" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator("[data-current-champion]")).toHaveAttribute("data-current-champion", "1");
    await expect(v1.locator('[data-alias="champion"]')).toBeVisible();
    const history = page.getByRole("list", { name: "History" });
    await expect(history.locator('[data-history="override"]')).toContainText("today's production");

    // A policy: superiority on RMSE by at least 0.1 minutes, fairness across region, one ADMIN approval.
    await page.getByRole("navigation", { name: "Model" }).getByRole("link", { name: "Gate policy" }).click();
    await settled(page);
    await expect(page.locator("[data-policy-revision]")).toHaveAttribute("data-policy-revision", "none");
    await page.locator("#policy-min-effect").fill("0.1");
    await page.getByLabel("Check fairness across a column").check();
    await page.locator("#policy-fairness-column").fill("region");
    await page.locator("#policy-fairness-gap").fill("10");
    await page.locator("#policy-p95-single").fill("500");
    await page.getByRole("tab", { name: "YAML" }).click();
    const yaml = page.getByLabel("Policy YAML");
    await expect(yaml).toHaveValue(/min_effect: 0\.1/);
    await expect(yaml).toHaveValue(/column: region/);
    const good = await yaml.inputValue();
    // A typo comes back from the server naming its line, which the editor marks.
    const typoLine = good.split("\n").findIndex((l) => l.includes("min_effect")) + 1;
    await yaml.fill(good.replace("min_effect: 0.1", "min_efect: 0.1"));
    await page.getByLabel("Comment (what changed and why)").fill("Beat the champion by 0.1 min");
    await page.getByRole("button", { name: "Save as revision 1" }).click();
    await expect(page.locator("[data-policy-error]")).toContainText(`line ${typoLine}`);
    await expect(page.locator("[data-error-line]")).toHaveText(String(typoLine));
    await shotFromTop(page, shot, "policy-error");
    await yaml.fill(good);
    await page.getByRole("button", { name: "Save as revision 1" }).click();
    await expect(page.locator("[data-policy-revision]")).toHaveAttribute("data-policy-revision", "1");
    // A second revision, to see the diff between them.
    await page.getByRole("tab", { name: "Form" }).click();
    await page.locator("#policy-p95-single").fill("250");
    await page.getByLabel("Comment (what changed and why)").fill("Tighter single-row latency");
    await page.getByRole("button", { name: "Save new revision" }).click();
    await expect(page.locator("[data-policy-revision]")).toHaveAttribute("data-policy-revision", "2");
    const diff = page.locator('[aria-label="Policy diff"]');
    await expect(diff.locator('[data-op="add"]')).toContainText("p95_single_ms: 250");
    await expect(diff.locator('[data-op="remove"]')).toContainText("p95_single_ms: 500");
    await shotFromTop(page, shot, "policy-editor");

    // The worse challenger, registered through the API as CI would: its gate runs by itself and fails.
    await finishedRun(page, `${project.runsUrl}/${worse.id}`);
    const v2 = await trpc<{ version: { number: number } }>(request, "mutation", "model.register", { projectId: project.id, modelName: MODEL, runId: worse.id });
    expect(v2.version.number).toBe(2);
    await page.goto(`${models}/${MODEL}/versions/2`);
    await expect(page.locator("[data-gate-report]")).toHaveAttribute("data-gate-report", "failed", { timeout: TRAINING_TIMEOUT });
    await expect(page.locator('[data-check="champion"]')).toHaveAttribute("data-check-status", "fail");
    await expect(page.getByRole("list", { name: "Blockers" })).toContainText("The gate did not pass");
    await shotFromTop(page, shot, "version-gate-failed");

    // The better one, registered from its run page into the existing model: its gate passes.
    await finishedRun(page, `${project.runsUrl}/${better.id}`);
    await registerFromRunPage(page);
    await expect(page).toHaveURL(`${models}/${MODEL}/versions/3`);
    await expect(page.locator("[data-gate-report]")).toHaveAttribute("data-gate-report", "passed", { timeout: TRAINING_TIMEOUT });
    const champion = page.locator('[data-check="champion"]');
    await expect(champion).toHaveAttribute("data-check-status", "pass");
    // The CI of the RMSE difference lies below zero and below the −0.1 threshold.
    await expect(champion.locator('[data-reference="zero"]')).toHaveCount(1);
    await expect(champion.locator('[data-reference="threshold"]')).toHaveCount(1);
    await expect(champion.locator('[data-interval="rmse difference"] line')).toHaveCount(3);
    await expect(page.locator('[data-check="fairness"] [data-interval]')).toHaveCount(5);
    await expect(page.locator("[data-approval-count]")).toHaveText("0/1 approved");
    // Close-ups of the charts, to look at them at full size.
    await champion.screenshot({ path: "test-results/screenshots/models-gate-champion-chart.png" });
    await page.locator('[data-check="fairness"]').screenshot({ path: "test-results/screenshots/models-gate-fairness-chart.png" });

    // Its author may not approve it (separation of duties).
    await page.getByLabel("Comment").fill("looks good to me");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "separation of duties" })).toBeVisible();
    await shotFromTop(page, shot, "version-gate-passed");

    // A second person, invited as ADMIN, approves in their own session.
    const reviewer = await signUpViaApi(request, "reviewer");
    await addMemberViaInvitation(request, await orgIdOf(page, account.orgSlug), reviewer, "ADMIN");
    const v3Url = `${models}/${MODEL}/versions/3`;
    await approveAs(browser, reviewer.email, v3Url, "Better on every region; latency fine.", async (second) => {
      await expect(second.locator("[data-approval-count]")).toHaveText("1/1 approved");
      await expect(second.locator('[data-decision="APPROVE"]')).toContainText(reviewer.name);
    });

    // A policy change that v3 no longer passes re-gates it; the approval given on the passing report is voided.
    const setMinEffect = async (value: string, comment: string, revision: number) => {
      await page.goto(`${models}/${MODEL}/policy`);
      await page.locator("#policy-min-effect").fill(value);
      await page.getByLabel("Comment (what changed and why)").fill(comment);
      await page.getByRole("button", { name: "Save new revision" }).click();
      await expect(page.locator("[data-policy-revision]")).toHaveAttribute("data-policy-revision", String(revision));
    };
    await setMinEffect("5", "Demand 5 minutes better", 3);
    await page.goto(v3Url);
    await expect(page.locator("[data-gate-report]")).toHaveAttribute("data-gate-report", "failed", { timeout: TRAINING_TIMEOUT });
    const voided = page.locator('[data-decision="APPROVE"][data-valid="false"]');
    await expect(voided).toContainText(reviewer.name);
    await expect(voided.locator("[data-void-reason]")).toBeVisible();
    await expect(page.locator("[data-approval-count]")).toHaveText("0/1 approved");
    await shotFromTop(page, shot, "approval-voided");

    // Back to 0.1: v3 passes again and needs a fresh approval.
    await setMinEffect("0.1", "Back to 0.1 minutes", 4);
    await page.goto(v3Url);
    await expect(page.locator("[data-gate-report]")).toHaveAttribute("data-gate-report", "passed", { timeout: TRAINING_TIMEOUT });
    await approveAs(browser, reviewer.email, v3Url, "Still better at 0.1.", async (second) => {
      await expect(second.locator("[data-approval-count]")).toHaveText("1/1 approved");
      await expect(second.locator('[data-decision="APPROVE"][data-valid="true"]')).toContainText("Still better at 0.1.");
    });

    // Promote v3, then roll back to v1.
    await page.goto(`${models}/${MODEL}`);
    await settled(page);
    const v3 = page.locator('tr[data-version="3"]');
    await expect(v3.locator("[data-gate]")).toHaveAttribute("data-gate", "passed");
    await expect(v3.locator("[data-approvals]")).toHaveText("1/1");
    // v2 was gated under revision 2 only: under today's revision 4 it has no report (promotion reads the current one).
    await expect(page.locator('tr[data-version="2"] [data-gate]')).toHaveAttribute("data-gate", "none");
    await v3.getByRole("button", { name: "Promote" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Promote to champion" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator("[data-current-champion]")).toHaveAttribute("data-current-champion", "3");
    await expect(history.locator('[data-history="promote"]')).toContainText("v1 → v3");
    await shotFromTop(page, shot, "model-page");

    await page.getByRole("button", { name: "Roll back" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Roll back" }).click();
    await expect(page.locator("[data-current-champion]")).toHaveAttribute("data-current-champion", "1");
    await expect(history.locator('[data-history="rollback"]')).toContainText("v3 → v1");

    // Aliases other than champion are set and removed by hand; champion is refused in the form.
    const aliasForm = page.getByRole("form", { name: "Set alias" });
    await aliasForm.locator("#alias-name").fill("champion");
    await expect(aliasForm.getByRole("button", { name: "Set alias" })).toBeDisabled();
    await aliasForm.locator("#alias-name").fill("challenger");
    await aliasForm.getByRole("button", { name: "Set alias" }).click();
    await expect(page.locator('[data-alias-row="challenger"]')).toContainText("v3");
    await expect(v3.locator('[data-alias="challenger"]')).toBeVisible();
    await expect(history.locator('[data-history="set"]')).toContainText("v3");
    await page.locator('[data-alias-row="challenger"]').getByRole("button", { name: "Remove" }).click();
    await expect(page.locator('[data-alias-row="challenger"]')).toHaveCount(0);
    await expect(history.locator('[data-history="remove"]')).toHaveCount(1);

    // The list: champion v1 with its RMSE, latest v3 whose gate passed.
    await page.goto(models);
    const row = page.locator(`tr[data-model="${MODEL}"]`);
    await expect(row.locator("[data-champion]")).toContainText("v1");
    await expect(row.locator('[data-headline="rmse"]')).toBeVisible();
    await expect(row.locator("[data-latest]")).toContainText("v3");
    await expect(row.locator("[data-gate]")).toHaveAttribute("data-gate", "passed");
    await shot("models-list");

    // Re-running v2's gate adds a report (polled while it evaluates) with the same outcome; then v2 is archived.
    await page.goto(`${models}/${MODEL}/versions/2`);
    await page.getByRole("button", { name: "Re-run gate" }).click();
    const reports = page.getByRole("list", { name: "Gate reports" }).getByRole("button");
    await expect(reports).toHaveCount(2);
    await expect(page.locator("[data-gate-report]")).toHaveAttribute("data-gate-report", "failed", { timeout: TRAINING_TIMEOUT });
    await expect(reports.first()).toContainText("latest");
    await page.getByRole("button", { name: "Archive" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Archive" }).click();
    await expect(page.getByRole("button", { name: "Unarchive" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Re-run gate" })).toBeDisabled();

    // Settings: a description and auto-registration of the experiment's runs.
    await page.getByRole("navigation", { name: "Model" }).getByRole("link", { name: "Settings" }).click();
    const settings = page.getByRole("form", { name: "Model settings" });
    await settings.getByLabel("Description").fill("Minutes from pickup to door.");
    await choose(page, settings.locator('[aria-label="Auto-register experiment"]'), "Runs of “ETA”");
    await settings.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("form", { name: "Model settings" }).locator('[aria-label="Auto-register experiment"]')).toContainText("Runs of “ETA”");

    // A model or version that is not there is a plain 404.
    expect((await page.goto(`${models}/no-such-model`))?.status()).toBe(404);
    expect((await page.goto(`${models}/${MODEL}/versions/99`))?.status()).toBe(404);

    // Compare v1 with v3 on the same rows.
    await page.goto(`${models}/${MODEL}/compare?a=1&b=3`);
    await expect(page.locator('[data-compare-metric="rmse"]')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("table", { name: "Lineage diff" })).toContainText("gbdt");
    await shotFromTop(page, shot, "compare");
  });

  test("a viewer sees a model read-only, and another organisation's member gets a 404", async ({ page, account, browser }) => {
    test.setTimeout(TRAINING_TIMEOUT * 2);
    const request = page.context().request;
    const project = await projectWithDeliveries(page, account);
    const run = await startTraining(page, project, { ...COMMON, trainer: "ridge", params: { alpha: 1 }, name: "ridge" });
    await finishedRun(page, `${project.runsUrl}/${run.id}`);
    const { version } = await trpc<{ version: { modelId: string } }>(request, "mutation", "model.register", { projectId: project.id, modelName: MODEL, runId: run.id });
    const policy = await trpc<{ yaml: string }>(request, "query", "gate.defaultPolicy", { projectId: project.id, modelId: version.modelId });
    await trpc(request, "mutation", "gate.savePolicy", { projectId: project.id, modelId: version.modelId, yaml: policy.yaml, comment: "default" });
    const url = `${project.base}/models/${MODEL}`;

    const viewer = await signUpViaApi(request, "viewer");
    await addMemberViaInvitation(request, await orgIdOf(page, account.orgSlug), viewer, "VIEWER");
    const stranger = await signUpViaApi(request, "stranger");
    const contexts = [await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL }), await browser.newContext({ baseURL: process.env.CAIRN_E2E_URL })];
    try {
      const [asViewer, asStranger] = await Promise.all(contexts.map((c) => c.newPage()));
      await signInViaApi(asViewer!, viewer.email);
      await asViewer!.goto(url);
      await expect(asViewer!.locator('tr[data-version="1"]')).toBeVisible();
      await expect(asViewer!.locator('tr[data-version="1"] [data-gate]')).toHaveAttribute("data-gate", /passed|failed|pending|running/);
      await expect(asViewer!.getByRole("button", { name: "Promote" })).toHaveCount(0);
      await expect(asViewer!.getByRole("form", { name: "Set alias" })).toHaveCount(0);
      await asViewer!.goto(`${url}/versions/1`);
      await expect(asViewer!.locator("[data-gate-report]")).toHaveAttribute("data-gate-report", /passed|failed/, { timeout: TRAINING_TIMEOUT });
      await expect(asViewer!.getByRole("button", { name: "Re-run gate" })).toHaveCount(0);
      await expect(asViewer!.getByRole("button", { name: "Approve" })).toHaveCount(0);
      await expect(asViewer!.getByRole("button", { name: "Archive" })).toHaveCount(0);
      await asViewer!.screenshot({ path: "test-results/screenshots/models-viewer-version.png", fullPage: true });
      await asViewer!.goto(`${url}/policy`);
      await expect(asViewer!.getByText("Admins and owners change gate policies.")).toBeVisible();
      await expect(asViewer!.getByRole("form", { name: "Save policy" })).toHaveCount(0);
      await asViewer!.getByRole("tab", { name: "YAML" }).click();
      await expect(asViewer!.getByLabel("Policy YAML")).toHaveAttribute("readonly", "");
      await asViewer!.goto(`${project.runsUrl}/${run.id}`);
      await expect(asViewer!.locator('[data-training-status="FINISHED"]')).toBeVisible();
      await expect(asViewer!.getByRole("button", { name: "Register model" })).toHaveCount(0);

      await signInViaApi(asStranger!, stranger.email);
      for (const path of [url, `${url}/versions/1`, `${url}/policy`]) expect((await asStranger!.goto(path))?.status(), path).toBe(404);
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
});
