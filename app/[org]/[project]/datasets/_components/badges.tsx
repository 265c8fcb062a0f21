import { Badge } from "@tremor/react";

type Color = "emerald" | "rose" | "gray" | "slate" | "blue" | "amber";

const VALIDATION: Record<string, { color: Color; label: string; title: string }> = {
  PASSED: { color: "emerald", label: "passed", title: "Satisfies the dataset's data contract" },
  FAILED: { color: "rose", label: "failed", title: "Violates the dataset's data contract; training refuses it" },
  PENDING: { color: "gray", label: "checking…", title: "Being profiled and validated" },
  NO_CONTRACT: { color: "slate", label: "no contract", title: "The dataset has no data contract to check against" },
};

/** Validation state of a version: green passed, red failed, grey while pending, neutral without a contract. */
export function ValidationBadge({ status }: { status: string }) {
  const v = VALIDATION[status] ?? { color: "gray" as const, label: status.toLowerCase(), title: status };
  return (
    <Badge size="xs" color={v.color} title={v.title} data-validation={status}>
      {v.label}
    </Badge>
  );
}

const PROFILE: Record<string, { color: Color; label: string }> = {
  PENDING: { color: "gray", label: "profiling…" },
  READY: { color: "blue", label: "ready" },
  FAILED: { color: "rose", label: "profile failed" },
};

export function ProfileBadge({ status, error }: { status: string; error?: string | null }) {
  const p = PROFILE[status] ?? { color: "gray" as const, label: status.toLowerCase() };
  return (
    <Badge size="xs" color={p.color} title={error ?? undefined} data-profile={status}>
      {p.label}
    </Badge>
  );
}

/** Columns a version added or removed against the one before it (uploaded with allowSchemaChange). */
export function SchemaChangeBadge({ change }: { change: { fromNumber: number; added: string[]; removed: string[] } }) {
  const parts = [...change.added.map((c) => `+${c}`), ...change.removed.map((c) => `-${c}`)];
  const shown = parts.length > 4 ? `${parts.slice(0, 4).join(", ")} …` : parts.join(", ");
  return (
    <Badge size="xs" color="amber" title={`Columns changed since version ${change.fromNumber}: ${parts.join(", ")}`} data-schema-change={parts.join(",")}>
      schema changed: {shown}
    </Badge>
  );
}
