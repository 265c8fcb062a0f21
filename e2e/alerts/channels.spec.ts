import { expect, test } from "../fixtures";
import { choose, settled } from "../foundation/helpers";
import { startHttpReceiver, startSmtpReceiver } from "../../server/testing/alert-receivers";
import { verifyWebhookSignature } from "../../server/alerts/signature";

test.describe("Alert channels", () => {
  test("an admin sets the SMTP server, adds e-mail, webhook and Slack channels and sends tests; a failing receiver's error is shown", async ({ page, account, shot }) => {
    const smtp = await startSmtpReceiver();
    const hook = await startHttpReceiver();
    const broken = await startHttpReceiver(() => 500);
    try {
      await page.goto(`/${account.orgSlug}/settings/alerts`);
      await settled(page);
      await expect(page.getByText("No alert channels yet")).toBeVisible();

      const smtpForm = page.getByRole("form", { name: "SMTP server" });
      await smtpForm.getByLabel("Host", { exact: true }).fill("127.0.0.1");
      await smtpForm.getByLabel("Port", { exact: true }).fill(String(smtp.port));
      await smtpForm.getByLabel("From address", { exact: true }).fill("cairn@e2e.test");
      await smtpForm.getByRole("button", { name: "Save SMTP settings" }).click();
      await expect(smtpForm.getByText("Saved.")).toBeVisible();

      // E-mail channel through that server.
      await page.getByRole("button", { name: "New channel" }).click();
      let form = page.getByRole("form", { name: "New alert channel" });
      await form.getByLabel("Name").fill("ML on-call");
      await form.getByLabel("Recipients").fill("oncall@e2e.test, lead@e2e.test");
      await form.getByRole("button", { name: "Create channel" }).click();
      await page.locator('tr[data-channel="ML on-call"]').getByRole("button", { name: "Send test" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Test message sent to ML on-call" })).toBeVisible();
      await expect.poll(() => smtp.messages.length).toBe(1);
      expect(smtp.messages[0]!.subject).toBe('[Cairn] TEST Test of channel "ML on-call" (channel test)');
      expect(smtp.recipients[0]).toEqual(["oncall@e2e.test", "lead@e2e.test"]);

      // A signed webhook with a secret generated in the browser.
      await page.getByRole("button", { name: "New channel" }).click();
      form = page.getByRole("form", { name: "New alert channel" });
      await form.getByLabel("Name").fill("Pager bridge");
      await choose(page, form.getByTestId("channel-kind"), "Webhook (signed JSON POST)");
      await form.getByLabel("Webhook URL").fill(`${hook.url}/cairn?token=abc`);
      await form.getByRole("button", { name: "Generate" }).click();
      const secret = await form.getByLabel("Signing secret").inputValue();
      expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
      await shot("webhook-form");
      await form.getByRole("button", { name: "Create channel" }).click();
      const hookRow = page.locator('tr[data-channel="Pager bridge"]');
      await expect(hookRow).toContainText(new URL(hook.url).host);
      await hookRow.getByRole("button", { name: "Send test" }).click();
      await expect(hookRow).toContainText("delivered");
      const req = hook.requests[0]!;
      expect(verifyWebhookSignature({ secret, rawBody: req.rawBody, signature: req.headers["x-cairn-signature"] as string, timestamp: req.headers["x-cairn-timestamp"] as string })).toBe(true);

      // A Slack webhook whose receiver fails: the error is shown, not the receiver's body.
      await page.getByRole("button", { name: "New channel" }).click();
      form = page.getByRole("form", { name: "New alert channel" });
      await form.getByLabel("Name").fill("Slack #ml");
      await choose(page, form.getByTestId("channel-kind"), "Slack incoming webhook");
      await form.getByLabel("Slack webhook URL").fill(`${broken.url}/services/T0/B0/secret-part`);
      await form.getByLabel("Slack channel (label, optional)").fill("#ml-alerts");
      await form.getByRole("button", { name: "Create channel" }).click();
      const slackRow = page.locator('tr[data-channel="Slack #ml"]');
      await slackRow.getByRole("button", { name: "Send test" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Test to Slack #ml failed" })).toContainText("the receiver answered HTTP 500");
      await expect(slackRow.getByTestId("last-test-error")).toContainText("HTTP 500");
      await expect(slackRow).toContainText("#ml-alerts");

      // A cloud metadata address is refused with its reason.
      await page.getByRole("button", { name: "New channel" }).click();
      form = page.getByRole("form", { name: "New alert channel" });
      await form.getByLabel("Name").fill("Sneaky");
      await choose(page, form.getByTestId("channel-kind"), "Slack incoming webhook");
      await form.getByLabel("Slack webhook URL").fill("http://169.254.169.254/latest/meta-data/");
      await form.getByRole("button", { name: "Create channel" }).click();
      await expect(form.getByText(/link-local address/)).toBeVisible();
      await form.getByRole("button", { name: "Cancel" }).click();

      const html = await page.content();
      for (const hidden of [secret, "token=abc", "secret-part", "internal detail"]) expect(html).not.toContain(hidden);
      await shot("channels");
    } finally {
      await Promise.all([smtp.close(), hook.close(), broken.close()]);
    }
  });
});
