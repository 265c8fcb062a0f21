/** The organisation's SMTP server for e-mail channels. The password is stored encrypted and never returned. */
import { recordAudit, type Actor } from "../audit/audit";
import { db } from "../db";
import { decryptSecret, encryptSecret } from "./crypto";
import type { SmtpSettingsDto } from "./schemas";
import type { SmtpConfig } from "./senders";

const EMPTY: SmtpSettingsDto = { configured: false, host: "", port: 587, secure: false, user: null, hasPassword: false, from: "", updatedAt: null };

export async function getSmtpSettings(orgId: string): Promise<SmtpSettingsDto> {
  const row = await db().alertSmtpSettings.findUnique({ where: { orgId } });
  if (!row) return EMPTY;
  return { configured: true, host: row.host, port: row.port, secure: row.secure, user: row.user, hasPassword: row.passwordEnc !== null, from: row.fromAddress, updatedAt: row.updatedAt };
}

/** Saves the settings; `password` undefined keeps the stored one, null removes it. */
export async function setSmtpSettings(args: {
  orgId: string;
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password?: string | null;
  from: string;
  actor: Actor;
}): Promise<SmtpSettingsDto> {
  const user = args.user?.trim() || null;
  const passwordEnc =
    args.password === undefined ? undefined : args.password === null ? null : encryptSecret(args.password, { orgId: args.orgId, purpose: "smtp-password" });
  await db().$transaction(async (tx) => {
    const fields = { host: args.host, port: args.port, secure: args.secure, user, fromAddress: args.from };
    const before = await tx.alertSmtpSettings.findUnique({ where: { orgId: args.orgId }, select: { host: true, port: true, secure: true, user: true, fromAddress: true } });
    await tx.alertSmtpSettings.upsert({
      where: { orgId: args.orgId },
      create: { orgId: args.orgId, ...fields, passwordEnc: passwordEnc ?? null },
      update: { ...fields, ...(passwordEnc !== undefined ? { passwordEnc } : {}) },
    });
    await recordAudit(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "alert-smtp.update",
      target: { type: "alert-smtp", id: args.orgId, label: `${args.host}:${args.port}` },
      ...(before ? { before } : {}),
      after: { ...fields, password: args.password === undefined ? "unchanged" : args.password === null ? "removed" : "changed" },
    });
  });
  return getSmtpSettings(args.orgId);
}

/** The settings with the password decrypted, for sending; null when the organisation has none. */
export async function loadSmtpConfig(orgId: string): Promise<SmtpConfig | null> {
  const row = await db().alertSmtpSettings.findUnique({ where: { orgId } });
  if (!row) return null;
  return {
    host: row.host,
    port: row.port,
    secure: row.secure,
    user: row.user,
    password: row.passwordEnc ? decryptSecret(row.passwordEnc, { orgId, purpose: "smtp-password" }) : null,
    from: row.fromAddress,
  };
}
