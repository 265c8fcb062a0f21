/**
 * Alert delivery end to end with real receivers: an SMTP server (smtp-server, messages parsed by
 * mailparser), a Slack-like and a generic webhook receiver (node:http), and the alert.deliver.v1 jobs
 * run by a real pg-boss worker with the queue's own retry and backoff.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { getBoss } from "../jobs/boss";
import { alertDeliver } from "../jobs/definitions";
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from "../testing/alert-receivers";
import { callerAs, createTestProject, createUser, type TestUser } from "../testing/factories";
import { waitFor } from "../testing/wait";
import { alertDeliverHandler } from "../../workers/handlers/alerts";
import { deliverAlert } from "./deliver";
import { clearAlert, raiseAlert } from "./notify";
import { verifyWebhookSignature } from "./signature";

const WORKER = { id: "alert-test", hostname: "test", gpus: [], cpuCount: 1, version: "test" };
const SECRET = "whsec-test-0123456789abcdefghij";

let owner: TestUser;
let projectId: string;
let smtp: SmtpReceiver;
let slack: HttpReceiver;
let hook: HttpReceiver;
const channel = { email: "", slack: "", webhook: "" };

async function startWorker(): Promise<() => Promise<void>> {
  const boss = await getBoss();
  await boss.work(alertDeliver.name, { batchSize: 1, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1 }, async ([job]) => {
    if (job) await alertDeliverHandler(job, WORKER);
  });
  return () => boss.offWork(alertDeliver.name);
}

const deliveriesOf = (incidentId: string) => db().alertDelivery.findMany({ where: { incidentId }, orderBy: [{ createdAt: "asc" }, { channelId: "asc" }] });

async function allSent(incidentId: string, n: number) {
  return waitFor(`${n} deliveries of ${incidentId} sent`, async () => {
    const rows = await deliveriesOf(incidentId);
    return rows.length === n && rows.every((r) => r.status === "sent") ? rows : null;
  }, { timeoutMs: 20_000 });
}

const alert = (over: Partial<Parameters<typeof raiseAlert>[0]> = {}) =>
  raiseAlert({
    projectId,
    ruleKey: "drift:psi",
    subject: "feature income",
    title: "Income drifted",
    severity: "critical",
    figures: { psi: 0.3127, threshold: 0.1, window_rows: 12000, reference: "<train v3>" },
    link: "/acme/churn/monitors/m1?x=1&y=2",
    channelIds: [channel.email, channel.slack, channel.webhook],
    cooldownSeconds: 3600,
    ...over,
  });

beforeAll(async () => {
  process.env.CAIRN_PUBLIC_URL = "https://cairn.example.test";
  owner = await createUser();
  projectId = (await createTestProject(owner.orgId, owner, "churn")).id;
  smtp = await startSmtpReceiver({ user: "alerts", password: "smtp-pass-4711" });
  slack = await startHttpReceiver();
  hook = await startHttpReceiver();
  const api = callerAs(owner).alert;
  await api.setSmtp({ orgId: owner.orgId, host: "127.0.0.1", port: smtp.port, secure: false, user: "alerts", password: "smtp-pass-4711", from: "cairn@example.test" });
  channel.email = (await api.createChannel({ orgId: owner.orgId, name: "ops mail", config: { kind: "email", to: ["ops@example.test", "ml@example.test"] } })).id;
  channel.slack = (await api.createChannel({ orgId: owner.orgId, name: "slack", config: { kind: "slack", webhookUrl: `${slack.url}/services/T0/B0/xyz`, channelLabel: "#ml-alerts" } })).id;
  channel.webhook = (await api.createChannel({ orgId: owner.orgId, name: "hook", config: { kind: "webhook", url: `${hook.url}/cairn`, secret: SECRET } })).id;
});

afterAll(async () => {
  await Promise.all([smtp?.close(), slack?.close(), hook?.close()]);
});

describe("a firing alert reaches every channel, checked by real receivers", () => {
  it("sends an e-mail, a Slack Block Kit message and a signed webhook, then a resolved notice", async () => {
    const stop = await startWorker();
    try {
      const raised = await alert();
      expect(raised).toMatchObject({ notified: "firing", status: "firing", missingChannelIds: [] });
      await allSent(raised.incidentId, 3);

      // E-mail: parsed by mailparser.
      expect(smtp.logins).toContainEqual({ user: "alerts", password: "smtp-pass-4711" });
      expect(smtp.messages).toHaveLength(1);
      const mail = smtp.messages[0]!;
      expect(mail.subject).toBe("[Cairn] FIRING critical: Income drifted (churn)");
      expect(smtp.recipients[0]).toEqual(["ops@example.test", "ml@example.test"]);
      expect(mail.from?.value[0]?.address).toBe("cairn@example.test");
      const link = "https://cairn.example.test/acme/churn/monitors/m1?x=1&y=2";
      expect(mail.text).toContain("psi: 0.3127");
      expect(mail.text).toContain("window_rows: 12,000");
      expect(mail.text).toContain(`Open in Cairn: ${link}`);
      const html = String(mail.html);
      expect(html).toContain("<td style=\"padding:4px 0;font-family:monospace\">0.3127</td>");
      expect(html).toContain("&lt;train v3&gt;"); // a figure's markup is text, not HTML
      expect(html).toContain(`href="${link.replace("&", "&amp;")}"`);
      expect(mail.headers.get("x-cairn-delivery")).toBeTruthy();

      // Slack: Block Kit with a header, the figures as fields, a link button and a context line.
      expect(slack.accepted()).toHaveLength(1);
      expect(slack.requests[0]!.path).toBe("/services/T0/B0/xyz");
      const payload = JSON.parse(slack.requests[0]!.rawBody) as { text: string; blocks: { type: string; [k: string]: unknown }[] };
      expect(payload.text).toBe("[Cairn] FIRING critical: Income drifted (churn)");
      expect(payload.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "actions", "context"]);
      expect(payload.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "FIRING: Income drifted", emoji: true } });
      expect(payload.blocks[2]).toEqual({
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*psi*\n0.3127" },
          { type: "mrkdwn", text: "*threshold*\n0.1" },
          { type: "mrkdwn", text: "*window_rows*\n12,000" },
          { type: "mrkdwn", text: "*reference*\n&lt;train v3&gt;" },
        ],
      });
      expect(payload.blocks[3]).toMatchObject({ elements: [{ type: "button", url: link, text: { type: "plain_text", text: "Open in Cairn" } }] });
      const orgName = (await db().organization.findUniqueOrThrow({ where: { id: owner.orgId } })).name;
      expect(payload.blocks[4]).toMatchObject({ type: "context", elements: [{ type: "mrkdwn", text: expect.stringContaining(`${orgName} / churn · critical · <!date^`) as string }] });

      // Generic webhook: the signature over "<timestamp>.<raw body>" verifies with the channel's secret.
      const req = hook.requests[0]!;
      expect(hook.accepted()).toHaveLength(1);
      const signed = { secret: SECRET, rawBody: req.rawBody, signature: req.headers["x-cairn-signature"] as string, timestamp: req.headers["x-cairn-timestamp"] as string };
      expect(signed.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(signed)).toBe(true);
      expect(verifyWebhookSignature({ ...signed, secret: "another-secret-of-enough-length" })).toBe(false);
      expect(verifyWebhookSignature({ ...signed, rawBody: req.rawBody.replace("0.3127", "0.0001") })).toBe(false);
      // A recorded request replayed later is refused by the timestamp check (it is part of the signed bytes).
      expect(verifyWebhookSignature({ ...signed, nowSeconds: Number(signed.timestamp) + 3600 })).toBe(false);
      const body = JSON.parse(req.rawBody) as Record<string, unknown>;
      expect(body).toMatchObject({ version: 1, event: "firing", incidentId: raised.incidentId, severity: "critical", ruleKey: "drift:psi", subject: "feature income", link, project: "churn", count: 1 });
      expect(body.figures).toEqual({ psi: 0.3127, threshold: 0.1, window_rows: 12000, reference: "<train v3>" });
      expect(req.headers["x-cairn-delivery"]).toBe(body.deliveryId);

      // Clearing resolves the incident and tells the same channels once.
      expect(await clearAlert({ projectId, ruleKey: "drift:psi", subject: "feature income" })).toEqual({ incidentId: raised.incidentId });
      expect(await clearAlert({ projectId, ruleKey: "drift:psi", subject: "feature income" })).toBeNull();
      await allSent(raised.incidentId, 6);
      expect(smtp.messages.map((m) => m.subject)).toEqual(["[Cairn] FIRING critical: Income drifted (churn)", "[Cairn] RESOLVED Income drifted (churn)"]);
      expect(JSON.parse(slack.requests[1]!.rawBody).blocks[0].text.text).toBe("RESOLVED: Income drifted");
      expect(JSON.parse(hook.requests[1]!.rawBody)).toMatchObject({ event: "resolved", incidentId: raised.incidentId });
    } finally {
      await stop();
    }
  });
});

describe("retries", () => {
  it("a receiver that fails twice and then recovers gets the message exactly once", async () => {
    const flaky = await startHttpReceiver((n) => (n < 2 ? 500 : 200));
    const api = callerAs(owner).alert;
    const flakyId = (await api.createChannel({ orgId: owner.orgId, name: "flaky", config: { kind: "webhook", url: flaky.url, secret: SECRET } })).id;
    const stop = await startWorker();
    try {
      const raised = await alert({ ruleKey: "retry", channelIds: [flakyId] });
      const [sent] = await waitFor("the flaky delivery sent", async () => {
        const rows = await deliveriesOf(raised.incidentId);
        return rows[0]?.status === "sent" ? rows : null;
      }, { timeoutMs: 25_000 });
      expect(sent).toMatchObject({ status: "sent", attempts: 3, lastError: null });
      expect(flaky.requests.map((r) => r.status)).toEqual([500, 500, 200]);
      // The same delivery id each time: it is one notice, retried.
      expect(new Set(flaky.requests.map((r) => r.headers["x-cairn-delivery"])).size).toBe(1);

      // A redelivered job (say, after a worker crash) finds the notice sent and sends nothing.
      const boss = await getBoss();
      const again = await boss.send(alertDeliver.name, { deliveryId: sent!.id });
      await waitFor("the redelivered job to complete", async () => (await boss.getJobById(alertDeliver.name, again!))?.state === "completed");
      expect(flaky.accepted()).toHaveLength(1);
      expect(flaky.requests).toHaveLength(3);
    } finally {
      await stop();
      await flaky.close();
    }
  }, 40_000);

  it("records the receiver's status (never its body) while it keeps failing", async () => {
    const down = await startHttpReceiver(() => 503);
    const id = (await callerAs(owner).alert.createChannel({ orgId: owner.orgId, name: "down", config: { kind: "slack", webhookUrl: down.url } })).id;
    const raised = await alert({ ruleKey: "down", channelIds: [id] });
    const [delivery] = await deliveriesOf(raised.incidentId);
    await expect(deliverAlert(delivery!.id)).rejects.toThrow(/HTTP 503/);
    const failed = await db().alertDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(failed).toMatchObject({ status: "failed", attempts: 1, lastError: "the receiver answered HTTP 503 Service Unavailable", leaseUntil: null });
    await down.close();
  });

  it("two deliveries of the same job at once send one message", async () => {
    const slow = await startHttpReceiver();
    const id = (await callerAs(owner).alert.createChannel({ orgId: owner.orgId, name: "twice", config: { kind: "webhook", url: slow.url, secret: SECRET } })).id;
    const raised = await alert({ ruleKey: "concurrent", channelIds: [id] });
    const [delivery] = await deliveriesOf(raised.incidentId);
    const outcomes = await Promise.allSettled([deliverAlert(delivery!.id), deliverAlert(delivery!.id)]);
    expect(slow.requests).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(await deliverAlert(delivery!.id)).toBe("already-sent");
    expect(slow.requests).toHaveLength(1);
    await slow.close();
  });
});

describe("de-duplication, cooldown, acknowledge", () => {
  const jobsFor = async (incidentId: string) => {
    const ids = (await deliveriesOf(incidentId)).map((d) => d.id);
    const rows = await db().$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'deliveryId' = ANY($2)`, alertDeliver.name, ids);
    return rows[0]!.n;
  };

  it("repeats of an open incident update it and notify nobody until the cooldown passes; then one reminder", async () => {
    const first = await alert({ ruleKey: "cool", channelIds: [channel.webhook], cooldownSeconds: 1 });
    const again = await alert({ ruleKey: "cool", channelIds: [channel.webhook], cooldownSeconds: 1, figures: { psi: 0.5 } });
    expect(again).toMatchObject({ incidentId: first.incidentId, notified: null });
    const incident = await db().alertIncident.findUniqueOrThrow({ where: { id: first.incidentId } });
    expect(incident).toMatchObject({ count: 2, figures: [["psi", 0.5]], status: "firing" });
    expect((await deliveriesOf(first.incidentId)).map((d) => d.kind)).toEqual(["firing"]);

    await sleep(1100);
    const [a, b] = await Promise.all([
      alert({ ruleKey: "cool", channelIds: [channel.webhook], cooldownSeconds: 1 }),
      alert({ ruleKey: "cool", channelIds: [channel.webhook], cooldownSeconds: 1 }),
    ]);
    expect([a.notified, b.notified].sort()).toEqual([null, "reminder"]);
    expect((await deliveriesOf(first.incidentId)).map((d) => `${d.kind}:${d.sequence}`)).toEqual(["firing:0", "reminder:1"]);
    expect(await jobsFor(first.incidentId)).toBe(2);
  });

  it("an acknowledged incident gets no reminders but still its resolved notice; a new firing after that is a new incident", async () => {
    const first = await alert({ ruleKey: "ack", channelIds: [channel.webhook], cooldownSeconds: 0 });
    const acked = await callerAs(owner).alert.acknowledge({ projectId, incidentId: first.incidentId });
    expect(acked).toMatchObject({ status: "acknowledged", acknowledgedBy: owner.email });
    expect(await alert({ ruleKey: "ack", channelIds: [channel.webhook], cooldownSeconds: 0 })).toMatchObject({ incidentId: first.incidentId, status: "acknowledged", notified: null });
    await clearAlert({ projectId, ruleKey: "ack", subject: "feature income" });
    expect((await deliveriesOf(first.incidentId)).map((d) => d.kind)).toEqual(["firing", "resolved"]);
    await expect(callerAs(owner).alert.acknowledge({ projectId, incidentId: first.incidentId })).rejects.toMatchObject({ code: "CONFLICT" });

    const next = await alert({ ruleKey: "ack", channelIds: [channel.webhook], cooldownSeconds: 0 });
    expect(next.incidentId).not.toBe(first.incidentId);
    expect(next.notified).toBe("firing");
    const listed = await callerAs(owner).alert.incidents({ projectId, status: "resolved" });
    expect(listed.map((i) => i.id)).toContain(first.incidentId);
    expect(listed.find((i) => i.id === first.incidentId)?.deliveries.map((d) => d.channelName)).toEqual(["hook", "hook"]);
  });

  it("two first firings at once make one incident with one notice per channel", async () => {
    const results = await Promise.all([1, 2, 3].map(() => alert({ ruleKey: "race", channelIds: [channel.webhook] })));
    expect(new Set(results.map((r) => r.incidentId)).size).toBe(1);
    expect(results.filter((r) => r.notified === "firing")).toHaveLength(1);
    expect(await deliveriesOf(results[0]!.incidentId)).toHaveLength(1);
  });

  it("channels of another organisation are skipped and reported, never used", async () => {
    const stranger = await createUser();
    const theirs = await callerAs(stranger).alert.createChannel({ orgId: stranger.orgId, name: "theirs", config: { kind: "webhook", url: hook.url, secret: SECRET } });
    const raised = await alert({ ruleKey: "foreign", channelIds: [theirs.id, channel.webhook] });
    expect(raised.missingChannelIds).toEqual([theirs.id]);
    expect((await deliveriesOf(raised.incidentId)).map((d) => d.channelId)).toEqual([channel.webhook]);
  });

  it("refuses bad alert definitions with their reason", async () => {
    await expect(alert({ link: "javascript:alert(1)" })).rejects.toThrow(/link/);
    await expect(alert({ severity: "fatal" as "critical" })).rejects.toThrow(/severity/);
    await expect(alert({ projectId: "nosuchproject" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
