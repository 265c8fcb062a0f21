import { Badge } from "@tremor/react";
import type { Role } from "@/server/tenancy/schemas";

type Color = "emerald" | "amber" | "gray" | "rose" | "blue" | "indigo" | "violet" | "slate";

const ROLE_COLOR: Record<Role, Color> = { OWNER: "violet", ADMIN: "indigo", MEMBER: "blue", VIEWER: "slate" };
const STATE_COLOR: Record<string, Color> = {
  online: "emerald",
  stale: "amber",
  offline: "gray",
  active: "emerald",
  expired: "amber",
  revoked: "gray",
  QUEUED: "gray",
  RUNNING: "blue",
  COMPLETED: "emerald",
  FAILED: "rose",
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge size="xs" color={ROLE_COLOR[role]}>
      {role.toLowerCase()}
    </Badge>
  );
}

/** Worker, token and ping states share one palette: green working, amber attention, grey gone. */
export function StateBadge({ state }: { state: string }) {
  return (
    <Badge size="xs" color={STATE_COLOR[state] ?? "gray"} data-state={state}>
      {state.toLowerCase()}
    </Badge>
  );
}
