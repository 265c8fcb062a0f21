import { addMemberViaInvitation, expect, signInViaApi, signUpViaApi, test, trpc } from "../fixtures";
import { orgIdOf, settled } from "../foundation/helpers";
import { shotFromTop } from "../datasets/helpers";
import { expectStatus, projectWithDeliveries, startTraining } from "./helpers";

test.describe("training commands", () => {
  test("an admin adds a command in settings; a command that does not exist fails with its error and log tail", async ({ page, account, shot }) => {
    test.setTimeout(240_000);
    const project = await projectWithDeliveries(page, account, 300);

    await page.goto(`${project.base}/settings`);
    await expect(page.getByText("No training commands")).toBeVisible();
    await page.getByText("What a command gets and must do").click();
    await expect(page.getByText("CAIRN_VALIDATION_PATH")).toBeVisible();
    await expect(page.getByText("python3 examples/sklearn-sgd/train.py --epochs 20")).toBeVisible();
    await page.getByRole("button", { name: "New command" }).click();
    const form = page.getByRole("form", { name: "New training command" });
    await form.getByLabel("Name", { exact: true }).fill("broken");
    await form.getByLabel("Command", { exact: true }).fill("cairn-no-such-trainer --epochs 3");
    await form.getByLabel("Timeout (seconds)").fill("120");
    await form.getByRole("button", { name: "Add variable" }).click();
    await form.getByLabel("Variable 1 name").fill("bad name");
    await form.getByLabel("Variable 1 value").fill("x");
    await form.getByRole("button", { name: "Add command" }).click();
    await expect(form.getByText(/letters, digits and _/)).toBeVisible();
    await form.getByLabel("Variable 1 name").fill("TRAIN_MODE");
    await form.getByRole("button", { name: "Add command" }).click();
    const row = page.locator('[data-command="broken"]');
    await expect(row).toContainText("$ cairn-no-such-trainer --epochs 3");
    await expect(row).toContainText("timeout 120 s · TRAIN_MODE");

    // Editing keeps the name (commands are saved by name) and changes the rest.
    await row.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: "Edit command broken" });
    await expect(edit.getByLabel("Name", { exact: true })).toBeDisabled();
    await edit.getByLabel("Timeout (seconds)").fill("90");
    await edit.getByRole("button", { name: "Save command" }).click();
    await expect(page.locator('[data-command="broken"]')).toContainText("timeout 90 s");
    await shotFromTop(page, shot, "commands");

    const commands = await trpc<{ id: string; name: string }[]>(page.context().request, "query", "training.commands", { projectId: project.id });
    const run = await startTraining(page, project, { target: "minutes", trainer: "command", commandId: commands[0]!.id, params: { epochs: 3 }, name: "broken-command", evaluate: false });
    await page.goto(`${project.runsUrl}/${run.id}`);
    await expectStatus(page, "FAILED");
    const error = page.locator("[data-run-error]");
    await expect(error).toContainText("Training failed");
    await expect(error).toContainText("command not found: cairn-no-such-trainer");
    await expect(error.locator("[data-error-tail]")).toContainText("not found");
    const log = page.getByRole("log", { name: "Run log" });
    // The shell's message may arrive in two writes, which the worker logs as two lines.
    await expect(log.locator('[data-stream="stderr"]').filter({ hasText: "not found" })).toHaveCount(1);
    await expect(log.locator('[data-stream="system"]').filter({ hasText: "$ cairn-no-such-trainer --epochs 3" })).toBeVisible();
    await expect(log.locator('[data-stream="system"]').last()).toContainText("failed: command not found");
    await expect(page.getByText("A run without a model has nothing to evaluate.")).toBeVisible();
    await shotFromTop(page, shot, "failed");

    // A viewer reads all of it but has no enabled write action.
    const viewer = await signUpViaApi(page.context().request, "viewer");
    await addMemberViaInvitation(page.context().request, await orgIdOf(page, account.orgSlug), viewer, "VIEWER");
    await page.context().clearCookies();
    await signInViaApi(page, viewer.email);
    await page.goto(`${project.base}/settings`);
    await expect(page.locator('[data-command="broken"]')).toBeVisible();
    await expect(page.getByRole("button", { name: "New command" })).toHaveCount(0);
    await expect(page.locator('[data-command="broken"]').getByRole("button")).toHaveCount(0);
    await page.goto(project.runsUrl);
    await settled(page);
    await expect(page.getByRole("button", { name: "Train a model" })).toBeDisabled();
    await page.goto(`${project.runsUrl}/new`);
    await expect(page.getByText("members and above can start training")).toBeVisible();
    await expect(page.getByRole("button", { name: "Start training" })).toHaveCount(0);
    await page.goto(`${project.base}/datasets/${project.datasetSlug}/versions/${project.versionId}`);
    await expect(page.getByText("Train on this version")).toHaveAttribute("aria-disabled", "true");
  });
});
