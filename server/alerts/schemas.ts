import { z } from "zod";
import { ZEmail, ZId, ZName } from "../lib/ids";
import { ZOrgRef, ZProjectRef } from "../tenancy/schemas";

/** Alert channels, SMTP settings, incidents: the contract of the `alert` router. No secret is in any DTO. */

export const CHANNEL_KINDS = ["email", "slack", "webhook"] as const;
export const ZChannelKind = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof ZChannelKind>;

export const SEVERITIES = ["info", "warning", "critical"] as const;
export const ZSeverity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof ZSeverity>;

export const INCIDENT_STATUSES = ["firing", "acknowledged", "resolved"] as const;
export const DELIVERY_KINDS = ["firing", "reminder", "resolved"] as const;
export const DELIVERY_STATUSES = ["pending", "sent", "failed"] as const;

/** http(s) only; whether the host may be reached is decided at send time (server/alerts/http-post.ts). */
export const ZHttpUrl = z
  .string()
  .trim()
  .max(2000, "must be at most 2000 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }));

/** A webhook signing secret is chosen by the admin (the receiver needs it too); Cairn never shows it again. */
export const ZSigningSecret = z.string().min(24, "must be at least 24 characters").max(200, "must be at most 200 characters");

const ZRecipients = z.array(ZEmail).min(1, "add at least one recipient").max(50, "at most 50 recipients");
const ZChannelLabel = z.string().trim().max(80, "must be at most 80 characters");

/** A channel's configuration as entered; the URL and signing secret are stored encrypted. */
export const ZChannelConfigInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("email"), to: ZRecipients }),
  z.object({ kind: z.literal("slack"), webhookUrl: ZHttpUrl, channelLabel: ZChannelLabel.default("") }),
  z.object({ kind: z.literal("webhook"), url: ZHttpUrl, secret: ZSigningSecret }),
]);
export type ChannelConfigInput = z.infer<typeof ZChannelConfigInput>;

/** On update the secret parts may be left out: the stored ones are kept (same kind only). */
export const ZChannelConfigPatch = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("email"), to: ZRecipients }),
  z.object({ kind: z.literal("slack"), webhookUrl: ZHttpUrl.optional(), channelLabel: ZChannelLabel.default("") }),
  z.object({ kind: z.literal("webhook"), url: ZHttpUrl.optional(), secret: ZSigningSecret.optional() }),
]);
export type ChannelConfigPatch = z.infer<typeof ZChannelConfigPatch>;

/** The visible part of a channel's configuration, as stored in AlertChannel.publicConfig. */
export const ZChannelPublic = z.object({
  to: z.array(z.string()).optional(),
  channelLabel: z.string().optional(),
  /** The receiving host only: a URL's path and query often carry its credential. */
  host: z.string().optional(),
});
export type ChannelPublic = z.infer<typeof ZChannelPublic>;

export const ZAlertChannelDto = z.object({
  id: z.string(),
  name: z.string(),
  kind: ZChannelKind,
  public: ZChannelPublic,
  createdAt: z.date(),
  updatedAt: z.date(),
  lastTestAt: z.date().nullable(),
  lastTestError: z.string().nullable(),
});
export type AlertChannelDto = z.infer<typeof ZAlertChannelDto>;

export const ZCreateChannelInput = ZOrgRef.extend({ name: ZName, config: ZChannelConfigInput });
export const ZUpdateChannelInput = ZOrgRef.extend({ channelId: ZId, name: ZName.optional(), config: ZChannelConfigPatch.optional() });
export const ZChannelRefInput = ZOrgRef.extend({ channelId: ZId });

export const ZTestResultDto = z.object({ ok: z.boolean(), error: z.string().nullable(), channel: ZAlertChannelDto });
export type TestResultDto = z.infer<typeof ZTestResultDto>;

const ZHost = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, "must be a host name or an IP address");

export const ZSmtpSettingsInput = ZOrgRef.extend({
  host: ZHost,
  port: z.number().int().min(1).max(65535),
  /** true: TLS from the first byte (465); false: STARTTLS when offered (587, 25), required when a login is sent to another host. */
  secure: z.boolean(),
  user: z.string().trim().max(200).nullable().default(null),
  /** undefined keeps the stored password, null removes it. */
  password: z.string().min(1).max(500).nullable().optional(),
  from: ZEmail,
});

export const ZSmtpSettingsDto = z.object({
  configured: z.boolean(),
  host: z.string(),
  port: z.number(),
  secure: z.boolean(),
  user: z.string().nullable(),
  hasPassword: z.boolean(),
  from: z.string(),
  updatedAt: z.date().nullable(),
});
export type SmtpSettingsDto = z.infer<typeof ZSmtpSettingsDto>;

/** The figures of an alert: a short, flat table (PSI 0.31, window rows 1,000 ...). */
export const ZFigures = z
  .record(z.string().min(1).max(80), z.union([z.string().max(500), z.number()]))
  .refine((r) => Object.keys(r).length <= 30, "at most 30 figures");

/** An absolute http(s) URL or a path in this Cairn ("/org/project/…"), made absolute with CAIRN_PUBLIC_URL. */
export const ZAlertLink = z
  .string()
  .max(2000)
  .refine((s) => (s.startsWith("/") && !s.startsWith("//")) || /^https?:\/\//.test(s), "must be an http(s) URL or a path starting with /");

export const ZRaiseAlertInput = z.object({
  projectId: ZId,
  ruleKey: z.string().min(1).max(200),
  subject: z.string().min(1).max(200),
  title: z.string().trim().min(1).max(150),
  severity: ZSeverity,
  figures: ZFigures,
  link: ZAlertLink,
  channelIds: z.array(ZId).max(20),
  cooldownSeconds: z.number().int().min(0).max(30 * 24 * 3600),
});
export type RaiseAlertInput = z.infer<typeof ZRaiseAlertInput>;

export const ZClearAlertInput = z.object({ projectId: ZId, ruleKey: z.string().min(1).max(200), subject: z.string().min(1).max(200) });

export const ZAlertDeliveryDto = z.object({
  id: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  kind: z.enum(DELIVERY_KINDS),
  sequence: z.number(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  lastError: z.string().nullable(),
  sentAt: z.date().nullable(),
});

export const ZAlertIncidentDto = z.object({
  id: z.string(),
  projectId: z.string(),
  ruleKey: z.string(),
  subject: z.string(),
  title: z.string(),
  severity: ZSeverity,
  status: z.enum(INCIDENT_STATUSES),
  count: z.number(),
  figures: z.record(z.string(), z.union([z.string(), z.number()])),
  link: z.string(),
  firstFiredAt: z.date(),
  lastFiredAt: z.date(),
  acknowledgedAt: z.date().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.date().nullable(),
  deliveries: z.array(ZAlertDeliveryDto),
});
export type AlertIncidentDto = z.infer<typeof ZAlertIncidentDto>;

export const ZIncidentListInput = ZProjectRef.extend({
  status: z.enum(["open", "resolved", "all"]).default("all"),
  limit: z.number().int().min(1).max(200).default(50),
});
export const ZAcknowledgeInput = ZProjectRef.extend({ incidentId: ZId });
