/**
 * What an alert says, per channel: e-mail (text + HTML), Slack Block Kit, and the generic webhook's
 * JSON. Pure functions of the notice; every value from a rule or a user is escaped for its medium.
 */
import type { Severity } from "./schemas";

export type NoticeKind = "firing" | "reminder" | "resolved" | "test";

export interface AlertNotice {
  kind: NoticeKind;
  title: string;
  severity: Severity;
  ruleKey: string;
  subject: string;
  figures: Record<string, string | number>;
  /** Absolute URL of the page that explains the alert. */
  link: string;
  orgName: string;
  projectName: string;
  /** When this notice was made. */
  at: Date;
  firstFiredAt: Date;
  /** Firings seen while the incident is open. */
  count: number;
  incidentId: string | null;
  /** The delivery's id: a receiver may drop a notice whose id it has already seen. */
  deliveryId: string | null;
}

const VERB: Record<NoticeKind, string> = { firing: "FIRING", reminder: "STILL FIRING", resolved: "RESOLVED", test: "TEST" };

/** Numbers as people read them: integers with thousands separators, others to 4 significant digits. */
export function formatFigure(value: string | number): string {
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return String(Number(value.toPrecision(4)));
}

export function subjectLine(n: AlertNotice): string {
  const line = `[Cairn] ${VERB[n.kind]} ${n.kind === "resolved" || n.kind === "test" ? "" : `${n.severity}: `}${n.title} (${n.projectName})`;
  // A header must be one line; a rule's title could carry a line break.
  return line.replace(/[\r\n]+/g, " ").slice(0, 250);
}

function lead(n: AlertNotice): string {
  switch (n.kind) {
    case "firing":
      return `${n.title} is firing (${n.severity}).`;
    case "reminder":
      return `${n.title} is still firing (${n.severity}): ${n.count} firings since ${n.firstFiredAt.toISOString()}, not acknowledged.`;
    case "resolved":
      return `${n.title} has cleared.`;
    case "test":
      return "This is a test message from Cairn: the channel works.";
  }
}

export function emailText(n: AlertNotice): string {
  const rows = Object.entries(n.figures).map(([k, v]) => `  ${k}: ${formatFigure(v)}`);
  return [
    lead(n),
    "",
    `Project: ${n.orgName} / ${n.projectName}`,
    `Rule: ${n.ruleKey}`,
    `Subject: ${n.subject}`,
    ...(rows.length ? ["", "Figures:", ...rows] : []),
    "",
    `Open in Cairn: ${n.link}`,
    "",
    `Sent ${n.at.toISOString()}${n.deliveryId ? ` · delivery ${n.deliveryId}` : ""}`,
  ].join("\n");
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const COLOR: Record<Severity, string> = { info: "#2563eb", warning: "#d97706", critical: "#dc2626" };

export function emailHtml(n: AlertNotice): string {
  const e = escapeHtml;
  const color = n.kind === "resolved" ? "#059669" : n.kind === "test" ? "#475569" : COLOR[n.severity];
  const rows = Object.entries(n.figures)
    .map(([k, v]) => `<tr><th align="left" style="padding:4px 12px 4px 0;color:#475569;font-weight:normal">${e(k)}</th><td style="padding:4px 0;font-family:monospace">${e(formatFigure(v))}</td></tr>`)
    .join("");
  return [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a">`,
    `<p style="margin:0 0 4px;color:${color};font-weight:600">${e(VERB[n.kind])}${n.kind === "firing" || n.kind === "reminder" ? ` · ${e(n.severity)}` : ""}</p>`,
    `<h2 style="margin:0 0 12px">${e(n.title)}</h2>`,
    `<p>${e(lead(n))}</p>`,
    `<p style="color:#475569">${e(n.orgName)} / ${e(n.projectName)} · rule <code>${e(n.ruleKey)}</code> · ${e(n.subject)}</p>`,
    rows ? `<table style="border-collapse:collapse;margin:12px 0">${rows}</table>` : "",
    `<p><a href="${e(n.link)}" style="color:#2563eb">Open in Cairn</a></p>`,
    `<p style="color:#94a3b8;font-size:12px">Sent ${e(n.at.toISOString())}</p>`,
    `</body></html>`,
  ].join("\n");
}

/** Slack mrkdwn: &, < and > are control characters and must be escaped. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Block Kit limits: header 150 chars, 10 fields per section (2,000 chars each), 50 blocks per message. */
export function slackPayload(n: AlertNotice): { text: string; blocks: object[] } {
  const icon = n.kind === "resolved" ? ":white_check_mark:" : n.kind === "test" ? ":wave:" : n.severity === "critical" ? ":rotating_light:" : ":warning:";
  const fields = Object.entries(n.figures).map(([k, v]) => ({ type: "mrkdwn", text: cut(`*${escapeSlack(k)}*\n${escapeSlack(formatFigure(v))}`, 2000) }));
  const fieldBlocks: object[] = [];
  for (let i = 0; i < fields.length && fieldBlocks.length < 45; i += 10) fieldBlocks.push({ type: "section", fields: fields.slice(i, i + 10) });
  return {
    // Shown in notifications and by clients that cannot draw blocks.
    text: cut(subjectLine(n), 3000),
    blocks: [
      { type: "header", text: { type: "plain_text", text: cut(`${VERB[n.kind]}: ${n.title}`, 150), emoji: true } },
      { type: "section", text: { type: "mrkdwn", text: cut(`${icon} ${escapeSlack(lead(n))}\n*Rule* \`${escapeSlack(n.ruleKey)}\` · *Subject* ${escapeSlack(n.subject)}`, 3000) } },
      ...fieldBlocks,
      {
        type: "actions",
        elements: [{ type: "button", text: { type: "plain_text", text: "Open in Cairn" }, url: n.link, action_id: "open_in_cairn", ...(n.kind === "resolved" || n.kind === "test" ? {} : { style: "primary" }) }],
      },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: cut(`${escapeSlack(n.orgName)} / ${escapeSlack(n.projectName)} · ${n.severity} · <!date^${Math.floor(n.at.getTime() / 1000)}^{date_short_pretty} {time}|${n.at.toISOString()}>`, 3000) }],
      },
    ],
  };
}

/** The generic webhook's body (README "Alerts" documents every field). */
export function webhookBody(n: AlertNotice): Record<string, unknown> {
  return {
    version: 1,
    event: n.kind,
    deliveryId: n.deliveryId,
    incidentId: n.incidentId,
    title: n.title,
    severity: n.severity,
    ruleKey: n.ruleKey,
    subject: n.subject,
    figures: n.figures,
    link: n.link,
    organization: n.orgName,
    project: n.projectName,
    count: n.count,
    firstFiredAt: n.firstFiredAt.toISOString(),
    sentAt: n.at.toISOString(),
  };
}
