/** Sends one notice through one channel: nodemailer over the organisation's SMTP server, or an HTTP POST. */
import nodemailer from "nodemailer";
import { checkHost, describeNetworkError, postJson, SendError } from "./http-post";
import { emailHtml, emailText, slackPayload, subjectLine, webhookBody, type AlertNotice } from "./messages";
import { DELIVERY_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./signature";

/** A whole send (connect, TLS, hand-over) must finish within this; a slower receiver counts as failed and is retried. */
export const SEND_TIMEOUT_MS = 15_000;

export type ChannelTarget =
  | { kind: "email"; to: string[] }
  | { kind: "slack"; webhookUrl: string }
  | { kind: "webhook"; url: string; secret: string };

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

/**
 * A password goes over TLS only: without `secure`, STARTTLS is then required (nodemailer's requireTLS)
 * unless the server is on this host. A relay without login may speak plain SMTP (internal relays often do).
 */
export function smtpNeedsTls(smtp: Pick<SmtpConfig, "host" | "secure" | "user">): boolean {
  const loopback = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i.test(smtp.host);
  return !smtp.secure && smtp.user !== null && !loopback;
}

async function sendEmail(to: string[], notice: AlertNotice, smtp: SmtpConfig | null, timeoutMs: number): Promise<void> {
  if (!smtp) throw new SendError("SMTP is not configured for this organisation (Settings → Alerts → SMTP server)");
  await checkHost(smtp.host);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtpNeedsTls(smtp),
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? "" } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      transport.sendMail({
        from: { name: "Cairn alerts", address: smtp.from },
        to,
        subject: subjectLine(notice),
        text: emailText(notice),
        html: emailHtml(notice),
        headers: notice.deliveryId ? { [DELIVERY_HEADER]: notice.deliveryId } : {},
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new SendError(`the SMTP server did not take the message within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    if (err instanceof SendError) throw err;
    // nodemailer's messages name the server and its reply (e.g. "Invalid login: 535 …"), never the password.
    throw new SendError(`SMTP: ${(err instanceof Error ? err.message : String(err)).slice(0, 300)}`);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

/** Sends `notice`; throws SendError (a message fit for an admin) when the receiver did not take it. */
export async function sendNotice(target: ChannelTarget, notice: AlertNotice, smtp: SmtpConfig | null, timeoutMs = SEND_TIMEOUT_MS): Promise<void> {
  switch (target.kind) {
    case "email":
      return sendEmail(target.to, notice, smtp, timeoutMs);
    case "slack":
      return postJson(target.webhookUrl, JSON.stringify(slackPayload(notice)), {}, timeoutMs);
    case "webhook": {
      const body = JSON.stringify(webhookBody(notice));
      const timestamp = Math.floor(Date.now() / 1000);
      return postJson(
        target.url,
        body,
        {
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(target.secret, timestamp, body),
          ...(notice.deliveryId ? { [DELIVERY_HEADER]: notice.deliveryId } : {}),
        },
        timeoutMs,
      );
    }
  }
}

/** What an admin is told about a failed send: the SendError's text, a key problem, or the network error's kind. */
export function failureMessage(err: unknown): string {
  if (err instanceof SendError) return err.message;
  if (err instanceof Error && /CAIRN_SECRET_KEY|decrypted/.test(err.message)) return err.message;
  return describeNetworkError(err);
}
