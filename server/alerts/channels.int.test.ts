/**
 * Alert channels and SMTP settings through the `alert` router: secrets are stored encrypted and never
 * returned, URLs are checked, "Send test" reports the receiver's answer, and every procedure keeps to
 * its tenant and role.
 */
import pg from "pg";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver } from "../testing/alert-receivers";
import { addMember, callerAs, createTestProject, createUser, type TestUser } from "../testing/factories";
import { decryptSecret } from "./crypto";
import { raiseAlert } from "./notify";

const SLACK_TOKEN = "T000/B000/slack-url-token-9f3e";
const SIGNING = "signing-secret-never-shown-7c1d";
const SMTP_PASSWORD = "smtp-password-never-shown-42";

let owner: TestUser;
let receiver: HttpReceiver;
let projectId: string;
let slackId: string;
let hookId: string;
const api = () => callerAs(owner).alert;

/** Every string an output holds, as the browser would get it. */
const wire = (value: unknown) => JSON.stringify(superjson.serialize(value));

beforeAll(async () => {
  owner = await createUser();
  projectId = (await createTestProject(owner.orgId, owner)).id;
  receiver = await startHttpReceiver((n) => (n === 1 ? 500 : 200));
  slackId = (await api().createChannel({ orgId: owner.orgId, name: "slack", config: { kind: "slack", webhookUrl: `${receiver.url}/services/${SLACK_TOKEN}`, channelLabel: "#ml" } })).id;
  hookId = (await api().createChannel({ orgId: owner.orgId, name: "hook", config: { kind: "webhook", url: `${receiver.url}/hook?token=q`, secret: SIGNING } })).id;
});

afterAll(async () => {
  await receiver?.close();
});

describe("secrets", () => {
  it("are in no procedure's output", async () => {
    const outputs: unknown[] = [];
    outputs.push(await api().channels({ orgId: owner.orgId }));
    outputs.push(await api().updateChannel({ orgId: owner.orgId, channelId: slackId, name: "slack", config: { kind: "slack", channelLabel: "#ml-alerts" } }));
    outputs.push(await api().testChannel({ orgId: owner.orgId, channelId: slackId }));
    outputs.push(await api().testChannel({ orgId: owner.orgId, channelId: hookId }));
    outputs.push(await api().setSmtp({ orgId: owner.orgId, host: "127.0.0.1", port: 2525, secure: false, user: "u", password: SMTP_PASSWORD, from: "a@example.test" }));
    outputs.push(await api().smtp({ orgId: owner.orgId }));
    const raised = await raiseAlert({ projectId, ruleKey: "r", subject: "s", title: "T", severity: "warning", figures: { a: 1 }, link: "/x", channelIds: [slackId, hookId], cooldownSeconds: 60 });
    outputs.push(await api().incidents({ projectId }));
    outputs.push(await api().acknowledge({ projectId, incidentId: raised.incidentId }));
    const text = wire(outputs);
    for (const secret of [SLACK_TOKEN, "slack-url-token", SIGNING, SMTP_PASSWORD, "token=q", "/services/"]) expect(text).not.toContain(secret);
    // What may be shown is there.
    expect(outputs[0]).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "slack", kind: "slack", public: { channelLabel: "#ml", host: new URL(receiver.url).host } }),
        expect.objectContaining({ name: "hook", kind: "webhook", public: { host: new URL(receiver.url).host } }),
      ]),
    );
    expect(outputs[5]).toMatchObject({ configured: true, user: "u", hasPassword: true });
  });

  it("are stored encrypted, bound to their organisation", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const channels = await client.query<{ id: string; secretConfig: string; publicConfig: unknown }>(`SELECT id, "secretConfig", "publicConfig" FROM "AlertChannel" WHERE "orgId" = $1`, [owner.orgId]);
      const smtp = await client.query<{ passwordEnc: string }>(`SELECT "passwordEnc" FROM "AlertSmtpSettings" WHERE "orgId" = $1`, [owner.orgId]);
      const raw = JSON.stringify([channels.rows, smtp.rows]);
      for (const secret of [SLACK_TOKEN, SIGNING, SMTP_PASSWORD, "/hook"]) expect(raw).not.toContain(secret);
      for (const row of channels.rows) expect(row.secretConfig).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
      const hook = channels.rows.find((r) => r.id === hookId)!;
      expect(JSON.parse(decryptSecret(hook.secretConfig, { orgId: owner.orgId, purpose: "alert-channel" }))).toEqual({ url: `${receiver.url}/hook?token=q`, secret: SIGNING });
      expect(decryptSecret(smtp.rows[0]!.passwordEnc, { orgId: owner.orgId, purpose: "smtp-password" })).toBe(SMTP_PASSWORD);
      // Copied into another organisation's row (or used as another kind of secret) it does not decrypt.
      expect(() => decryptSecret(hook.secretConfig, { orgId: "someotherorg", purpose: "alert-channel" })).toThrow(/could not be decrypted/);
      expect(() => decryptSecret(smtp.rows[0]!.passwordEnc, { orgId: owner.orgId, purpose: "alert-channel" })).toThrow(/could not be decrypted/);

      const stranger = await createUser();
      const theirs = await callerAs(stranger).alert.createChannel({ orgId: stranger.orgId, name: "copy", config: { kind: "webhook", url: "http://127.0.0.1:9/x", secret: "x".repeat(24) } });
      await client.query(`UPDATE "AlertChannel" SET "secretConfig" = $1 WHERE id = $2`, [hook.secretConfig, theirs.id]);
      const result = await callerAs(stranger).alert.testChannel({ orgId: stranger.orgId, channelId: theirs.id });
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/could not be decrypted/) as string });
      expect(wire(result)).not.toContain(SIGNING);
    } finally {
      await client.end();
    }
  });

  it("an update without the secret keeps the stored one; the SMTP password stays unless replaced or removed", async () => {
    const before = receiver.requests.length;
    await api().updateChannel({ orgId: owner.orgId, channelId: hookId, config: { kind: "webhook" } });
    expect(await api().testChannel({ orgId: owner.orgId, channelId: hookId })).toMatchObject({ ok: true, error: null });
    expect(receiver.requests[before]!.path).toBe("/hook?token=q");
    await expect(api().updateChannel({ orgId: owner.orgId, channelId: hookId, config: { kind: "slack" } })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/webhookUrl/) as string });

    await api().setSmtp({ orgId: owner.orgId, host: "127.0.0.1", port: 2526, secure: false, user: "u", from: "a@example.test" });
    expect(await api().smtp({ orgId: owner.orgId })).toMatchObject({ port: 2526, hasPassword: true });
    await api().setSmtp({ orgId: owner.orgId, host: "127.0.0.1", port: 2526, secure: false, user: null, password: null, from: "a@example.test" });
    expect(await api().smtp({ orgId: owner.orgId })).toMatchObject({ user: null, hasPassword: false });
  });
});

describe("Send test", () => {
  it("reports the receiver's refusal without its body, and the SMTP server's answer", async () => {
    const flaky = await startHttpReceiver(() => 500);
    const id = (await api().createChannel({ orgId: owner.orgId, name: "broken", config: { kind: "slack", webhookUrl: flaky.url } })).id;
    const result = await api().testChannel({ orgId: owner.orgId, channelId: id });
    expect(result).toMatchObject({ ok: false, error: "the receiver answered HTTP 500 Internal Server Error" });
    expect(result.channel).toMatchObject({ lastTestError: "the receiver answered HTTP 500 Internal Server Error" });
    expect(wire(result)).not.toContain("internal detail");
    await flaky.close();

    const closed = await api().createChannel({ orgId: owner.orgId, name: "closed", config: { kind: "webhook", url: "http://127.0.0.1:9/", secret: SIGNING } });
    expect(await api().testChannel({ orgId: owner.orgId, channelId: closed.id })).toMatchObject({ ok: false, error: "the connection was refused" });

    const smtp = await startSmtpReceiver({ user: "alerts", password: "right" });
    const mail = await api().createChannel({ orgId: owner.orgId, name: "mail", config: { kind: "email", to: ["ops@example.test"] } });
    await api().setSmtp({ orgId: owner.orgId, host: "127.0.0.1", port: smtp.port, secure: false, user: "alerts", password: "wrong", from: "cairn@example.test" });
    expect(await api().testChannel({ orgId: owner.orgId, channelId: mail.id })).toMatchObject({ ok: false, error: expect.stringMatching(/^SMTP: Invalid login/) as string });
    await api().setSmtp({ orgId: owner.orgId, host: "127.0.0.1", port: smtp.port, secure: false, user: "alerts", password: "right", from: "cairn@example.test" });
    expect(await api().testChannel({ orgId: owner.orgId, channelId: mail.id })).toMatchObject({ ok: true, error: null });
    await api().setSmtp({ orgId: owner.orgId, host: "169.254.169.254", port: 25, secure: false, user: null, password: null, from: "cairn@example.test" });
    expect(await api().testChannel({ orgId: owner.orgId, channelId: mail.id })).toMatchObject({ ok: false, error: expect.stringMatching(/link-local/) as string });
    expect(smtp.messages.map((m) => m.subject)).toEqual(['[Cairn] TEST Test of channel "mail" (channel test)']);
    expect(smtp.messages[0]!.text).toContain("the channel works");
    await smtp.close();

    const stranger = await createUser();
    const lonely = await callerAs(stranger).alert.createChannel({ orgId: stranger.orgId, name: "mail", config: { kind: "email", to: ["x@example.test"] } });
    expect(await callerAs(stranger).alert.testChannel({ orgId: stranger.orgId, channelId: lonely.id })).toMatchObject({ ok: false, error: expect.stringMatching(/SMTP is not configured/) as string });
  });
});

describe("bad input gets a clear 4xx", () => {
  const create = (config: unknown, name = "bad") => api().createChannel({ orgId: owner.orgId, name, config: config as never });
  it.each([
    ["a non-http URL", { kind: "slack", webhookUrl: "file:///etc/passwd" }, /http/],
    ["a cloud metadata address", { kind: "webhook", url: "http://169.254.169.254/latest/meta-data", secret: SIGNING }, /link-local/],
    ["an IPv6 link-local address", { kind: "webhook", url: "http://[fe80::1]/x", secret: SIGNING }, /link-local/],
    ["the metadata host name", { kind: "slack", webhookUrl: "http://metadata.google.internal/computeMetadata/v1/" }, /metadata/],
    ["a short signing secret", { kind: "webhook", url: "https://example.test/x", secret: "short" }, /secret/],
    ["no recipients", { kind: "email", to: [] }, /recipient/],
    ["a bad address", { kind: "email", to: ["not-an-address"] }, /e-mail/],
    ["an unknown kind", { kind: "pager", to: ["a@example.test"] }, /kind/],
  ])("%s", async (_what, config, message) => {
    await expect(create(config)).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(message) as string });
  });

  it("a second channel with the same name is a conflict; bad SMTP settings are refused", async () => {
    await expect(create({ kind: "email", to: ["a@example.test"] }, "slack")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(api().setSmtp({ orgId: owner.orgId, host: "smtp example", port: 25, secure: false, from: "a@example.test" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api().setSmtp({ orgId: owner.orgId, host: "smtp.example.test", port: 70000, secure: false, from: "a@example.test" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().alertChannel.count({ where: { orgId: owner.orgId, name: "bad" } })).toBe(0);
  });
});

describe("tenancy and roles with real rows", () => {
  it("another organisation's admin reaches none of this organisation's channels or incidents", async () => {
    const stranger = await createUser();
    const as = callerAs(stranger).alert;
    const otherProject = await createTestProject(stranger.orgId, stranger);
    for (const call of [
      () => as.updateChannel({ orgId: stranger.orgId, channelId: slackId, name: "mine" }),
      () => as.deleteChannel({ orgId: stranger.orgId, channelId: slackId }),
      () => as.testChannel({ orgId: stranger.orgId, channelId: hookId }),
      () => as.channels({ orgId: owner.orgId }),
      () => as.smtp({ orgId: owner.orgId }),
      () => as.incidents({ projectId }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const incident = await raiseAlert({ projectId, ruleKey: "tenancy", subject: "s", title: "T", severity: "info", figures: {}, link: "/x", channelIds: [], cooldownSeconds: 0 });
    await expect(as.acknowledge({ projectId: otherProject.id, incidentId: incident.incidentId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await as.incidents({ projectId: otherProject.id })).toEqual([]);
    expect((await as.channels({ orgId: stranger.orgId })).map((c) => c.id)).not.toContain(slackId);
    expect(await db().alertChannel.findUniqueOrThrow({ where: { id: slackId } })).toMatchObject({ name: "slack" });
  });

  it("viewers list channels and incidents; members acknowledge; only admins manage channels and SMTP", async () => {
    const viewer = await createUser();
    const member = await createUser();
    await addMember(owner.orgId, viewer, "VIEWER");
    await addMember(owner.orgId, member, "MEMBER");
    const incident = await raiseAlert({ projectId, ruleKey: "roles", subject: "s", title: "T", severity: "info", figures: {}, link: "/x", channelIds: [], cooldownSeconds: 0 });
    expect((await callerAs(viewer).alert.channels({ orgId: owner.orgId })).length).toBeGreaterThan(0);
    expect((await callerAs(viewer).alert.incidents({ projectId, status: "open" })).map((i) => i.id)).toContain(incident.incidentId);
    await expect(callerAs(viewer).alert.acknowledge({ projectId, incidentId: incident.incidentId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await callerAs(member).alert.acknowledge({ projectId, incidentId: incident.incidentId })).toMatchObject({ status: "acknowledged", acknowledgedBy: member.email });
    for (const who of [viewer, member]) {
      const as = callerAs(who).alert;
      await expect(as.createChannel({ orgId: owner.orgId, name: "x", config: { kind: "email", to: ["a@example.test"] } })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(as.deleteChannel({ orgId: owner.orgId, channelId: slackId })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(as.testChannel({ orgId: owner.orgId, channelId: slackId })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(as.smtp({ orgId: owner.orgId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const audit = await db().auditEvent.findMany({ where: { orgId: owner.orgId, action: { startsWith: "alert-" } }, select: { action: true } });
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(["alert-channel.create", "alert-channel.update", "alert-smtp.update", "alert-incident.acknowledge"]));
  });

  it("deleting a channel removes it; deleting it again is NOT_FOUND", async () => {
    const id = (await api().createChannel({ orgId: owner.orgId, name: "short-lived", config: { kind: "email", to: ["a@example.test"] } })).id;
    expect(await api().deleteChannel({ orgId: owner.orgId, channelId: id })).toEqual({ id });
    await expect(api().deleteChannel({ orgId: owner.orgId, channelId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
