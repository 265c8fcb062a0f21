/** A metric value for a table cell: NaN and infinities spelled out, others to five significant digits. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "−∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(3);
  return String(Number(value.toPrecision(5)));
}

/** A param value as the user logged it: strings bare, everything else as JSON. */
export function formatParam(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatMetric(value);
  return JSON.stringify(value);
}

/** "1h 02m", "3m 14s", "850 ms": the length of a run, coarse enough to read at a glance. */
export function formatDuration(ms: number): string {
  if (ms < 0 || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, "0")}h`;
}

/** Run length so far: a running run counts up to now. */
export function runDuration(run: { startedAt: Date | null; endedAt: Date | null; status: string }, now = Date.now()): number | null {
  if (!run.startedAt) return null;
  const end = run.endedAt?.getTime() ?? (run.status === "RUNNING" ? now : null);
  return end === null ? null : end - run.startedAt.getTime();
}
