import { Badge } from "@tremor/react";
import type { RunStatus } from "@/server/runs/schemas";

const COLOR = { QUEUED: "gray", RUNNING: "blue", FINISHED: "emerald", FAILED: "rose", KILLED: "amber" } as const;

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge size="xs" color={COLOR[status]} data-status={status}>
      {status.toLowerCase()}
    </Badge>
  );
}
