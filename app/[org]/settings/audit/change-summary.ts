const show = (v: unknown): string => {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
};

const asRecord = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** "role: ADMIN → MEMBER; state: active → revoked" from an event's before/after snapshots. */
export function changeSummary(before: unknown, after: unknown): string {
  const b = asRecord(before);
  const a = asRecord(after);
  if (!b && !a) return before === null && after === null ? "" : `${show(before)} → ${show(after)}`;
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  return keys
    .map((k) => {
      if (!b || !(k in b)) return `${k}: ${show(a?.[k])}`;
      if (!a || !(k in a)) return `${k}: ${show(b[k])} → removed`;
      return `${k}: ${show(b[k])} → ${show(a[k])}`;
    })
    .join("; ");
}
