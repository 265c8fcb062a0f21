/** Canonical JSON (object keys sorted, no whitespace) and its SHA-256: what approvals of a gate report are bound to. */
import { createHash } from "node:crypto";

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The same text for the same JSON value whatever its key order (Postgres jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** SHA-256 (hex) of a report's canonical JSON; recompute it from the stored report to verify GateReport.sha256. */
export function reportSha256(report: unknown): string {
  return createHash("sha256").update(canonicalJson(report)).digest("hex");
}
