/** Alert channels of an organisation: create, change, delete, list, and "Send test". */
import { z } from "zod";
import { recordAudit, type Actor } from "../audit/audit";
import { db, type Prisma } from "../db";
import { AppError, notFound } from "../errors";
import { absoluteUrl } from "../lib/public-url";
import { decryptSecret, encryptSecret } from "./crypto";
import { checkTarget, SendError } from "./http-post";
import type { AlertNotice } from "./messages";
import { ZChannelKind, ZChannelPublic, type AlertChannelDto, type ChannelConfigInput, type ChannelConfigPatch, type ChannelPublic, type TestResultDto } from "./schemas";
import { failureMessage, sendNotice, type ChannelTarget } from "./senders";
import { loadSmtpConfig } from "./smtp";

type ChannelRow = Prisma.AlertChannelGetPayload<object>;

const ZSlackSecret = z.object({ webhookUrl: z.string() });
const ZWebhookSecret = z.object({ url: z.string(), secret: z.string() });

export function toChannelDto(row: ChannelRow): AlertChannelDto {
  return {
    id: row.id,
    name: row.name,
    kind: ZChannelKind.parse(row.kind),
    public: ZChannelPublic.parse(row.publicConfig),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastTestAt: row.lastTestAt,
    lastTestError: row.lastTestError,
  };
}

/** Where a channel sends, with its secrets decrypted: for the delivery job and tests of the channel only. */
export function channelTarget(row: ChannelRow): ChannelTarget {
  const secret = JSON.parse(decryptSecret(row.secretConfig, { orgId: row.orgId, purpose: "alert-channel" })) as unknown;
  const kind = ZChannelKind.parse(row.kind);
  if (kind === "email") return { kind, to: ZChannelPublic.parse(row.publicConfig).to ?? [] };
  if (kind === "slack") return { kind, webhookUrl: ZSlackSecret.parse(secret).webhookUrl };
  return { kind, ...ZWebhookSecret.parse(secret) };
}

/** Refuses a URL that could never receive alerts now, instead of at the first alert. */
function checkUrl(url: string): string {
  try {
    checkTarget(url);
  } catch (err) {
    throw new AppError("BAD_REQUEST", `config: ${err instanceof SendError ? err.message : "not a usable URL"}`);
  }
  return url;
}

function split(config: ChannelConfigInput): { publicConfig: ChannelPublic; secret: object } {
  switch (config.kind) {
    case "email":
      return { publicConfig: { to: config.to }, secret: {} };
    case "slack":
      return { publicConfig: { channelLabel: config.channelLabel, host: new URL(checkUrl(config.webhookUrl)).host }, secret: { webhookUrl: config.webhookUrl } };
    case "webhook":
      return { publicConfig: { host: new URL(checkUrl(config.url)).host }, secret: { url: config.url, secret: config.secret } };
  }
}

/** A patch completed with the stored secret parts (same kind only). */
function completePatch(row: ChannelRow, patch: ChannelConfigPatch): ChannelConfigInput {
  const stored = row.kind === patch.kind ? channelTarget(row) : null;
  switch (patch.kind) {
    case "email":
      return patch;
    case "slack": {
      const webhookUrl = patch.webhookUrl ?? (stored?.kind === "slack" ? stored.webhookUrl : undefined);
      if (!webhookUrl) throw new AppError("BAD_REQUEST", "config.webhookUrl: enter the Slack webhook URL");
      return { kind: "slack", webhookUrl, channelLabel: patch.channelLabel };
    }
    case "webhook": {
      const url = patch.url ?? (stored?.kind === "webhook" ? stored.url : undefined);
      const secret = patch.secret ?? (stored?.kind === "webhook" ? stored.secret : undefined);
      if (!url) throw new AppError("BAD_REQUEST", "config.url: enter the webhook URL");
      if (!secret) throw new AppError("BAD_REQUEST", "config.secret: enter the signing secret");
      return { kind: "webhook", url, secret };
    }
  }
}

const stored = (orgId: string, config: ChannelConfigInput) => {
  const { publicConfig, secret } = split(config);
  return { kind: config.kind, publicConfig, secretConfig: encryptSecret(JSON.stringify(secret), { orgId, purpose: "alert-channel" }) };
};

export async function listChannels(orgId: string): Promise<AlertChannelDto[]> {
  const rows = await db().alertChannel.findMany({ where: { orgId }, orderBy: [{ name: "asc" }] });
  return rows.map(toChannelDto);
}

export async function createChannel(args: { orgId: string; name: string; config: ChannelConfigInput; actor: Actor }): Promise<AlertChannelDto> {
  const data = stored(args.orgId, args.config);
  return db().$transaction(async (tx) => {
    const row = await tx.alertChannel.create({
      data: { orgId: args.orgId, name: args.name, ...data, createdById: args.actor.type === "user" ? args.actor.id : null },
    });
    await recordAudit(tx, { orgId: args.orgId, actor: args.actor, action: "alert-channel.create", target: { type: "alert-channel", id: row.id, label: row.name }, after: { kind: row.kind, public: data.publicConfig } });
    return toChannelDto(row);
  });
}

export async function updateChannel(args: { orgId: string; channelId: string; name?: string; config?: ChannelConfigPatch; actor: Actor }): Promise<AlertChannelDto> {
  return db().$transaction(async (tx) => {
    const row = await tx.alertChannel.findFirst({ where: { id: args.channelId, orgId: args.orgId } });
    if (!row) throw notFound("Alert channel");
    const data = args.config ? stored(args.orgId, completePatch(row, args.config)) : {};
    const updated = await tx.alertChannel.update({ where: { id: row.id }, data: { ...(args.name ? { name: args.name } : {}), ...data } });
    await recordAudit(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "alert-channel.update",
      target: { type: "alert-channel", id: row.id, label: updated.name },
      before: { name: row.name, kind: row.kind, public: row.publicConfig as Prisma.InputJsonValue },
      after: { name: updated.name, kind: updated.kind, public: updated.publicConfig as Prisma.InputJsonValue, secretChanged: args.config !== undefined && args.config.kind !== "email" },
    });
    return toChannelDto(updated);
  });
}

export async function deleteChannel(args: { orgId: string; channelId: string; actor: Actor }): Promise<{ id: string }> {
  return db().$transaction(async (tx) => {
    const row = await tx.alertChannel.findFirst({ where: { id: args.channelId, orgId: args.orgId } });
    if (!row) throw notFound("Alert channel");
    await tx.alertChannel.delete({ where: { id: row.id } });
    await recordAudit(tx, { orgId: args.orgId, actor: args.actor, action: "alert-channel.delete", target: { type: "alert-channel", id: row.id, label: row.name }, before: { kind: row.kind } });
    return { id: row.id };
  });
}

/** Sends a test message now and records the outcome on the channel; a failed send is a result, not an error. */
export async function testChannel(args: { orgId: string; channelId: string; actor: Actor }): Promise<TestResultDto> {
  const row = await db().alertChannel.findFirst({ where: { id: args.channelId, orgId: args.orgId }, include: { org: { select: { name: true, slug: true } } } });
  if (!row) throw notFound("Alert channel");
  const now = new Date();
  const notice: AlertNotice = {
    kind: "test",
    title: `Test of channel "${row.name}"`,
    severity: "info",
    ruleKey: "test",
    subject: `sent by ${args.actor.label}`,
    figures: { example_psi: 0.2345, window_rows: 1000 },
    link: absoluteUrl(`/${row.org.slug}/settings/alerts`),
    orgName: row.org.name,
    projectName: "channel test",
    at: now,
    firstFiredAt: now,
    count: 1,
    incidentId: null,
    deliveryId: null,
  };
  let error: string | null = null;
  try {
    await sendNotice(channelTarget(row), notice, row.kind === "email" ? await loadSmtpConfig(args.orgId) : null);
  } catch (err) {
    error = failureMessage(err);
  }
  const updated = await db().alertChannel.update({ where: { id: row.id }, data: { lastTestAt: now, lastTestError: error } });
  return { ok: error === null, error, channel: toChannelDto(updated) };
}
