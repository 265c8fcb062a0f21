import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blockedAddress, checkTarget } from "./http-post";
import { emailHtml, formatFigure, slackPayload, subjectLine, type AlertNotice } from "./messages";
import { smtpNeedsTls } from "./senders";
import { signWebhook, verifyWebhookSignature } from "./signature";

const notice = (over: Partial<AlertNotice> = {}): AlertNotice => ({
  kind: "firing",
  title: "Income drifted",
  severity: "warning",
  ruleKey: "drift:psi",
  subject: "income",
  figures: { psi: 0.31 },
  link: "https://cairn.example.test/a/b",
  orgName: "Acme",
  projectName: "churn",
  at: new Date("2026-11-29T12:00:00Z"),
  firstFiredAt: new Date("2026-11-29T11:00:00Z"),
  count: 1,
  incidentId: "inc1",
  deliveryId: "del1",
  ...over,
});

describe("alert messages", () => {
  it("formats figures for people", () => {
    expect([formatFigure(1234567), formatFigure(0.123456), formatFigure(12.5), formatFigure("n/a"), formatFigure(Number.NaN)]).toEqual(["1,234,567", "0.1235", "12.5", "n/a", "NaN"]);
  });

  it("keeps a subject on one line (no header injection through a title)", () => {
    expect(subjectLine(notice({ title: "a\r\nBcc: victim@example.test" }))).toBe("[Cairn] FIRING warning: a Bcc: victim@example.test (churn)");
  });

  it("escapes HTML in every value of the e-mail", () => {
    const html = emailHtml(notice({ title: "<script>x</script>", figures: { "<b>": "\"'&" }, link: 'https://x.test/?a="><img>' }));
    expect(html).not.toMatch(/<script>|<b>|<img>/);
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).toContain("&quot;&#39;&amp;");
  });

  it("keeps Slack within Block Kit's limits: 10 fields a section, header of 150 characters, escaped mrkdwn", () => {
    const figures = Object.fromEntries(Array.from({ length: 23 }, (_, i) => [`f${i}`, i]));
    const payload = slackPayload(notice({ title: "x".repeat(400), figures, subject: "<!channel> & co" }));
    const blocks = payload.blocks as { type: string; fields?: unknown[]; text?: { text: string } }[];
    expect(blocks.filter((b) => b.fields).map((b) => b.fields!.length)).toEqual([10, 10, 3]);
    expect(blocks[0]!.text!.text).toHaveLength(150);
    expect(blocks[1]!.text!.text).toContain("&lt;!channel&gt; &amp; co");
    expect(blocks.length).toBeLessThanOrEqual(50);
  });
});

describe("webhook signatures", () => {
  it("sign '<timestamp>.<body>' and verify only within the tolerance", () => {
    const sig = signWebhook("s".repeat(24), 1700000000, '{"a":1}');
    expect(sig).toBe(`sha256=${createHmac("sha256", "s".repeat(24)).update('1700000000.{"a":1}').digest("hex")}`);
    const base = { secret: "s".repeat(24), rawBody: '{"a":1}', signature: sig, timestamp: "1700000000" };
    expect(verifyWebhookSignature({ ...base, nowSeconds: 1700000100 })).toBe(true);
    expect(verifyWebhookSignature({ ...base, nowSeconds: 1700000400 })).toBe(false);
    expect(verifyWebhookSignature({ ...base, timestamp: "1700000001", nowSeconds: 1700000000 })).toBe(false);
    expect(verifyWebhookSignature({ ...base, signature: undefined, nowSeconds: 1700000000 })).toBe(false);
  });
});

describe("where alerts may go", () => {
  it.each([
    ["169.254.169.254", true],
    ["169.254.10.1", true],
    ["::ffff:169.254.169.254", true],
    ["fe80::1", true],
    ["fd00:ec2::254", true],
    ["100.100.100.200", true],
    ["0.0.0.0", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["192.168.1.10", false],
    ["::1", false],
    ["::ffff:a9fe:a9fe", true],
    ["::a9fe:a9fe", true],
    ["::ffff:7f00:1", false],
    ["2001:db8::1", false],
  ])("%s blocked: %s", (ip, blocked) => {
    expect(blockedAddress(ip, false) !== null).toBe(blocked);
  });

  it.each(["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.10", "100.64.0.1", "::1", "fd12::1", "::ffff:7f00:1"])(
    "%s is refused too where CAIRN_ALERTS_BLOCK_PRIVATE=1",
    (ip) => {
      expect(blockedAddress(ip, true)).toMatch(/private or loopback/);
    },
  );

  it("public addresses stay allowed where private ones are blocked", () => {
    for (const ip of ["8.8.8.8", "172.32.0.1", "2001:db8::1"]) expect(blockedAddress(ip, true)).toBeNull();
  });

  it("refuses other schemes and literal metadata addresses before connecting", () => {
    expect(() => checkTarget("ftp://example.test/x")).toThrow(/http/);
    expect(() => checkTarget("http://[::ffff:a9fe:a9fe]/")).toThrow(/link-local/);
    expect(() => checkTarget("http://169.254.169.254/")).toThrow(/link-local/);
    expect(checkTarget("https://hooks.slack.com/services/x").host).toBe("hooks.slack.com");
  });
});

describe("SMTP logins", () => {
  it("go over TLS unless the server is on this host; relays without login may be plain", () => {
    expect(smtpNeedsTls({ host: "smtp.example.com", secure: false, user: "alerts" })).toBe(true);
    expect(smtpNeedsTls({ host: "smtp.example.com", secure: true, user: "alerts" })).toBe(false);
    expect(smtpNeedsTls({ host: "10.0.0.5", secure: false, user: null })).toBe(false);
    expect(smtpNeedsTls({ host: "127.0.0.1", secure: false, user: "alerts" })).toBe(false);
    expect(smtpNeedsTls({ host: "localhost", secure: false, user: "alerts" })).toBe(false);
  });
});
