import type { PipelineDto } from "@/server/pipelines/schemas";

type Trigger = PipelineDto["triggers"][number];

/** A trigger as a sentence fragment: "every new version of deliveries", "git push to main", "cron 0 3 * * * (UTC)". */
export function triggerWords(t: Trigger): string {
  switch (t.kind) {
    case "dataset":
      return `every new version of ${t.detail}`;
    case "push":
      return `git push to ${t.detail || "any branch"}`;
    case "cron":
      return `cron ${t.detail} (UTC)`;
    case "monitor":
      return `alert of monitor ${t.detail}`;
  }
}

/** "4.2 s", "3 min 5 s", "1 h 2 min": how long a step or run took. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Milliseconds between start and end (or `now` while still running); null before it started. */
export function elapsed(startedAt: Date | null, finishedAt: Date | null, now = Date.now()): number | null {
  if (!startedAt) return null;
  return (finishedAt ? finishedAt.getTime() : now) - startedAt.getTime();
}

/** A UTC instant as "Mon 30 Nov, 03:00 UTC": cron schedules are in UTC, so their next runs are shown in UTC too. */
export function formatUtc(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return `${d.toLocaleString("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })} UTC`;
}
