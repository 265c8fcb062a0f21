import { Badge } from "@tremor/react";
import type { RunStatus } from "@/server/runs/schemas";

const COLOR = { QUEUED: "gray", RUNNING: "blue", FINISHED: "emerald", FAILED: "rose", KILLED: "amber" } as const;
// KILLED is the stored (and filterable) status; people stopped the run, so the page says "cancelled" everywhere.
export const RUN_STATUS_LABEL = { QUEUED: "queued", RUNNING: "running", FINISHED: "finished", FAILED: "failed", KILLED: "cancelled" } as const;

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge size="xs" color={COLOR[status]} data-status={status}>
      {RUN_STATUS_LABEL[status]}
    </Badge>
  );
}
