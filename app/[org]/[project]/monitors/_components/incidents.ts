/**
 * Which alert incidents belong to a monitor: its rules raise them with a link to the monitor's page
 * (the link every e-mail and Slack message carries), so the link is what ties them together.
 */
export function incidentOfMonitor(incident: { link: string }, monitorName: string): boolean {
  const path = incident.link.replace(/^https?:\/\/[^/]+/, "").split(/[?#]/)[0]!;
  const segments = path.split("/");
  const at = segments.indexOf("monitors");
  return at >= 0 && decodeURIComponent(segments[at + 1] ?? "") === monitorName;
}
