const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "5 seconds ago", "in 3 days": a date relative to `now`. */
export function relativeTime(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (Math.abs(seconds) < 5) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, "second");
}

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

export const formatDateTime = (date: Date) => dateTime.format(date);
export const formatDate = (date: Date) => dateOnly.format(date);

export const formatGiB = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** "12.3 KiB": binary units, three significant digits. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toPrecision(3)} ${BYTE_UNITS[unit]}`;
}

const integer = new Intl.NumberFormat("en");

export const formatCount = (n: number) => integer.format(n);

/** A statistic for a table cell: integers as they are, other numbers to four significant digits. */
export function formatStat(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return integer.format(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

export const formatPercent = (share: number, digits = 1) => `${(share * 100).toFixed(digits)}%`;

/**
 * Width in pixels for a chart's y axis that fits its longest tick label: Recharts clips labels at a
 * fixed width, which turned "24,000" into "4,000".
 */
export function axisWidth(values: readonly number[], format: (n: number) => string = formatCount): number {
  const longest = values.reduce((w, v) => Math.max(w, format(v).length), 1);
  return Math.max(40, 12 + longest * 7);
}
