import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { addMemberViaInvitation, expect, signInViaApi, signUpViaApi, test, trpc } from "../fixtures";
import { choose, settled } from "../foundation/helpers";
import { deployShot, MODEL, projectWithVersions } from "./helpers";

const exec = promisify(execFile);

test.describe("deployments tab", () => {
  test("create a deployment, run a canary through pause, resume and abort, replace and roll back, with the ledger and policy refusals", async ({ page, account }) => {
    test.setTimeout(300_000);
    const project = await projectWithVersions(page, account, 3);

    // Reachable from the project's navigation; the empty state says what a deployment is and where it answers.
    await page.goto(project.base);
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Deployments" }).click();
    await expect(page).toHaveURL(`${project.base}/deployments`);
    await expect(page.getByText("Nothing is deployed yet")).toBeVisible();
    await expect(page.getByText("/v2/models/{name}/infer").first()).toBeVisible();
    await deployShot(page, "empty");

    // Production requires gate and approvals: the ungated v1 is refused there, with the server's reason.
    const form = page.getByRole("form", { name: "New deployment" });
    await choose(page, form.locator('[aria-label="Model"]'), MODEL);
    await choose(page, form.locator('[aria-label="Version or alias"]'), "v1");
    await choose(page, form.locator('[aria-label="Environment"]'), "production");
    await form.locator("#new-dep-name").fill("eta");
    await form.getByRole("button", { name: "Create deployment" }).click();
    await expect(form.getByRole("alert")).toContainText('v1 cannot take traffic in "production": it needs a passed gate');
    await deployShot(page, "create-refused");

    await choose(page, form.locator('[aria-label="Environment"]'), "staging");
    await form.locator("#new-dep-reason").fill("first deployment");
    await form.getByRole("button", { name: "Create deployment" }).click();
    await expect(page).toHaveURL(`${project.base}/deployments/eta`);
    const split = page.locator("[data-split]").first();
    await expect(split).toHaveAttribute("data-split", "v1:100");
    const ledger = page.getByRole("list", { name: "Ledger" });
    await expect(ledger.locator('[data-ledger-kind="create"]')).toContainText("first deployment");

    // The endpoint and a curl example built from the version's features.
    await expect(page.locator("[data-endpoint-url]")).toHaveText(/\/v2\/models\/eta\/infer$/);
    const curl = page.locator("[data-curl-example]");
    await expect(curl).toContainText('"distance_km": 0,');
    await expect(curl).toContainText('"region": "north"');
    await expect(curl).toContainText('Authorization: Bearer $CAIRN_TOKEN');

    // A canary of v2: 10 → 50 → 100 %, baking an hour so that nothing moves by itself during the test.
    const candidate = page.getByRole("form", { name: "Start a candidate" });
    await choose(page, candidate.locator('[aria-label="Candidate version"]'), "v2");
    await candidate.locator("#cand-steps").fill("10, 50, 100");
    await candidate.locator("#cand-bake").fill("3600");
    await candidate.locator("#cand-reason").fill("v2 looks better offline");
    // A metric the task has no online form of is refused by the server, which names the valid ones.
    await candidate.locator("#cand-metric").fill("rocAuc");
    await candidate.getByRole("button", { name: "Start canary" }).click();
    await expect(candidate.getByRole("alert")).toContainText('"rocAuc" is not a regression metric; use one of');
    await candidate.locator("#cand-metric").fill("mae");
    await candidate.locator("#cand-degradation").fill("2");
    await candidate.getByRole("button", { name: "Start canary" }).click();
    await expect(split).toHaveAttribute("data-split", "v1:90,v2:10");
    await expect(page.getByText("or mae worse by more than 2")).toBeVisible();
    await expect(page.locator("[data-status]").first()).toHaveAttribute("data-status", "rolling_out");
    await expect(ledger.locator('[data-ledger-kind="candidate"]')).toContainText("v2 looks better offline");
    await expect(ledger.locator('[data-ledger-kind="candidate"]')).toContainText("v1 100% → v1 90% · v2 10% (canary)");
    const steps = page.getByRole("list", { name: "Canary steps" });
    await expect(steps.locator('[data-step="0"]')).toHaveAttribute("data-step-state", "current");
    await deployShot(page, "canary");

    // Advance by hand to the next step: the split moves and the ledger records the step.
    const controls = page.getByRole("group", { name: "Rollout controls" });
    await controls.getByRole("button", { name: "Advance to 50%" }).click();
    await expect(split).toHaveAttribute("data-split", "v1:50,v2:50");
    await expect(steps.locator('[data-step="1"]')).toHaveAttribute("data-step-state", "current");
    await expect(steps.locator('[data-step="0"]')).toHaveAttribute("data-step-state", "done");
    await expect(ledger.locator('[data-ledger-kind="step"]')).toContainText("v1 90% · v2 10% (canary) → v1 50% · v2 50% (canary)");

    // The page's own curl example, sent to the URL it shows with a project token, answers; the health charts then fill in.
    const token = await trpc<{ secret: string }>(page.context().request, "mutation", "token.create", { orgId: project.orgId, name: "serving", role: "MEMBER", projectId: project.id });
    const url = (await page.locator("[data-endpoint-url]").textContent())!;
    const body = JSON.parse(/-d '([\s\S]*)'$/.exec((await curl.textContent())!)![1]!) as unknown;
    expect(body).toEqual({ instances: [{ distance_km: 0, region: "north" }] });
    const answered = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const res = await page.context().request.post(url, { data: body, headers: { authorization: `Bearer ${token.secret}` } });
      expect(res.status(), await res.text()).toBe(200);
      answered.add(res.headers()["x-cairn-model-version"] ?? "");
    }
    expect(answered.size, `versions that answered: ${[...answered].join(", ")}`).toBe(2);
    // The copyable command itself, run by a shell as a user would paste it, answers with a prediction.
    const { stdout } = await exec("bash", ["-c", (await curl.textContent())!], { env: { ...process.env, CAIRN_TOKEN: token.secret } });
    expect(JSON.parse(stdout)).toMatchObject({ predictions: [expect.any(Number)] });
    await expect(page.locator('[data-health-chart="Requests"]')).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('[data-health-chart="Requests"] .recharts-line')).toHaveCount(2);
    await page.locator("[data-health-charts]").screenshot({ path: "test-results/screenshots/deployments-health-charts.png" });
    // The rollout job checks the step (every 30 s at this bake time): about 20 candidate requests are fewer than the 50 it needs, so the step holds.
    const check = page.locator("[data-health-check]");
    await expect(check).toHaveAttribute("data-health-check", "insufficient", { timeout: 60_000 });
    await expect(check.getByRole("list", { name: "Health check reasons" })).not.toBeEmpty();
    await expect(check.getByRole("table", { name: "Health check figures" }).locator("tbody tr")).toHaveCount(2);
    await expect(split).toHaveAttribute("data-split", "v1:50,v2:50");
    await deployShot(page, "rollout-check");

    // The list shows the running canary's split and step too.
    await page.goto(`${project.base}/deployments`);
    await expect(page.locator('[data-deployment="eta"] [data-split]')).toHaveAttribute("data-split", "v1:50,v2:50");
    await expect(page.locator('[data-deployment="eta"] [data-rollout-step]')).toContainText("Canary step 2 of 3 (10 → 50 → 100 %) · last check insufficient");
    await deployShot(page, "list-canary");
    await page.locator('[data-deployment="eta"]').getByRole("link", { name: "eta" }).click();
    await expect(split).toHaveAttribute("data-split", "v1:50,v2:50");

    // Pause and resume, each with its reason in the ledger.
    await controls.locator("#action-reason").fill("checking p95 by hand");
    await controls.getByRole("button", { name: "Pause" }).click();
    await expect(page.locator("[data-status]").first()).toHaveAttribute("data-status", "paused");
    await expect(ledger.locator('[data-ledger-kind="pause"]')).toContainText("checking p95 by hand");
    await controls.getByRole("button", { name: "Resume" }).click();
    await expect(page.locator("[data-status]").first()).toHaveAttribute("data-status", "rolling_out");
    await expect(ledger.locator('[data-ledger-kind="resume"]')).toHaveCount(1);

    // Abort asks first, then takes the candidate out.
    await controls.locator("#action-reason").fill("abandon v2");
    await controls.getByRole("button", { name: "Abort" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("abandon v2");
    await dialog.getByRole("button", { name: "Abort" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(split).toHaveAttribute("data-split", "v1:100");
    await expect(ledger.locator('[data-ledger-kind="abort"]')).toContainText("abandon v2");
    await expect(page.getByRole("list", { name: "Canary steps" })).toHaveCount(0);

    // Replace with v2 directly, then roll back to v1 behind a confirmation.
    await choose(page, candidate.locator('[aria-label="Strategy"]'), "Replace now");
    await choose(page, candidate.locator('[aria-label="Candidate version"]'), "v2");
    await candidate.getByRole("button", { name: "Replace stable version" }).click();
    await expect(split).toHaveAttribute("data-split", "v2:100");
    await controls.locator("#action-reason").fill("v2 errors in staging");
    await controls.getByRole("button", { name: "Roll back" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Roll back" }).click();
    await expect(split).toHaveAttribute("data-split", "v1:100");
    await expect(page.locator("[data-status]").first()).toHaveAttribute("data-status", "rolled_back");
    await expect(ledger.locator('[data-ledger-kind="rollback"]')).toContainText("v2 100% → v1 100%");
    await expect(ledger.locator("li")).toHaveCount(8);

    await page.getByRole("button", { name: "Verify chain" }).click();
    await expect(page.locator("[data-ledger-valid]")).toHaveAttribute("data-ledger-valid", "true");
    await expect(page.locator("[data-ledger-valid]")).toContainText("8 entries recomputed");
    await deployShot(page, "ledger");

    // An ADMIN tightens staging's policy; the next candidate is refused with the policy's reason.
    await page.getByRole("link", { name: "Deployments", exact: true }).first().click();
    await expect(page).toHaveURL(`${project.base}/deployments`);
    await choose(page, page.locator('[aria-label="Policy of staging"]'), "gate passed");
    await expect(page.locator('[data-environment="staging"]')).toContainText("needs a passed gate");
    await expect(page.locator('[data-deployment="eta"] [data-split]')).toHaveAttribute("data-split", "v1:100");
    await deployShot(page, "list");
    await page.locator('[data-deployment="eta"]').getByRole("link", { name: "eta" }).click();
    await choose(page, candidate.locator('[aria-label="Candidate version"]'), "v3");
    await candidate.getByRole("button", { name: "Start canary" }).click();
    await expect(candidate.getByRole("alert")).toContainText('cannot take traffic in "staging": it needs a passed gate');
    await expect(split).toHaveAttribute("data-split", "v1:100");
    await candidate.getByRole("alert").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/screenshots/deployments-policy-refusal.png" });
  });

  test("blue/green: the candidate waits warm, Switch moves all traffic behind a confirmation, and switching again moves back", async ({ page, account }) => {
    const project = await projectWithVersions(page, account, 2);
    await trpc(page.context().request, "mutation", "deployment.create", { projectId: project.id, environment: "staging", name: "eta-bg", modelId: project.modelId, versionId: project.versions[0]!.id });
    await page.goto(`${project.base}/deployments/eta-bg`);
    const candidate = page.getByRole("form", { name: "Start a candidate" });
    await choose(page, candidate.locator('[aria-label="Strategy"]'), "Blue/green");
    await choose(page, candidate.locator('[aria-label="Candidate version"]'), "v2");
    await candidate.getByRole("button", { name: "Start blue/green" }).click();
    const split = page.locator("[data-split]").first();
    await expect(split).toHaveAttribute("data-split", "v1:100,v2:0");
    await expect(page.getByText("warm, answers none until switched")).toBeVisible();
    await deployShot(page, "blue-green");

    const controls = page.getByRole("group", { name: "Rollout controls" });
    await expect(controls.getByRole("button", { name: "Promote now" })).toHaveCount(0);
    await controls.getByRole("button", { name: "Switch" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Switch" }).click();
    await expect(split).toHaveAttribute("data-split", "v2:100,v1:0");
    await controls.getByRole("button", { name: "Switch" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Switch" }).click();
    await expect(split).toHaveAttribute("data-split", "v1:100,v2:0");
    await expect(page.getByRole("list", { name: "Ledger" }).locator('[data-ledger-kind="switch"]')).toHaveCount(2);

    // A deployment that is not there is a plain 404.
    expect((await page.goto(`${project.base}/deployments/no-such-deployment`))?.status()).toBe(404);
  });

  test("a viewer sees the split and the ledger but no controls, and the server refuses them", async ({ page, account }) => {
    const project = await projectWithVersions(page, account, 2);
    const owner = page.context().request;
    const deployment = await trpc<{ id: string }>(owner, "mutation", "deployment.create", { projectId: project.id, environment: "staging", name: "eta", modelId: project.modelId, versionId: project.versions[0]!.id });
    await trpc(owner, "mutation", "deployment.setCandidate", { projectId: project.id, deploymentId: deployment.id, versionId: project.versions[1]!.id, strategy: "ab", candidatePercent: 30 });
    const viewer = await signUpViaApi(owner, "viewer");
    await addMemberViaInvitation(owner, project.orgId, viewer, "VIEWER");

    await signInViaApi(page, viewer.email);
    await page.goto(`${project.base}/deployments`);
    await settled(page);
    await expect(page.locator('[data-deployment="eta"] [data-split]')).toHaveAttribute("data-split", "v1:70,v2:30");
    await expect(page.getByRole("form", { name: "New deployment" })).toHaveCount(0);
    await expect(page.locator('[aria-label="Policy of staging"]')).toHaveCount(0);
    await expect(page.locator('[data-environment="staging"] [data-policy="none"]')).toBeVisible();

    await page.locator('[data-deployment="eta"]').getByRole("link", { name: "eta" }).click();
    await expect(page.locator("[data-split]").first()).toHaveAttribute("data-split", "v1:70,v2:30");
    await expect(page.getByText("Changing the split needs the ADMIN role")).toBeVisible();
    await expect(page.getByRole("group", { name: "Rollout controls" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Roll back" })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Start a candidate" })).toHaveCount(0);
    await expect(page.getByRole("list", { name: "Ledger" }).locator('[data-ledger-kind="candidate"]')).toContainText("(A/B)");
    // The owner who made the changes is named, not shown as an id.
    await expect(page.getByRole("list", { name: "Ledger" }).locator('[data-ledger-kind="create"]')).toContainText(account.name);
    await deployShot(page, "viewer");
    // On a phone-sized screen nothing overflows the page sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await deployShot(page, "viewer-narrow");

    // Hidden is not the protection: the server refuses the viewer's change itself.
    await expect(trpc(page.context().request, "mutation", "deployment.abort", { projectId: project.id, deploymentId: deployment.id, reason: "viewer" })).rejects.toThrow(/FORBIDDEN/);
  });
});
