"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import { useProject } from "../../../../../_components/org-context";
import { FormError } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";

/** Where a run started from "Run now" stands: the page derives it from the monitor's lastRunAt. */
export type RunState = "idle" | "running" | "done";

/**
 * Queues the monitor's job for the current window. The page follows it by polling the monitor: the
 * run is done once lastRunAt moves past the value it had when the button was pressed (`onStart`).
 */
export function RunNow({ name, state, alreadyQueued, onStart }: { name: string; state: RunState; alreadyQueued: boolean; onStart: (queued: boolean) => void }) {
  const trpc = useTRPC();
  const project = useProject();
  const run = useMutation(trpc.monitor.runNow.mutationOptions({ onSuccess: (r) => onStart(r.queued) }));
  const running = run.isPending || state === "running";
  return (
    <div className="flex flex-col items-end gap-1">
      <Button size="sm" loading={running} disabled={running} onClick={() => run.mutate({ projectId: project.id, name })}>
        {running ? "Running…" : "Run now"}
      </Button>
      <p role="status" className="max-w-xs text-right text-xs text-gray-500" data-run-now={running ? "running" : state}>
        {running
          ? `${alreadyQueued ? "A run was already queued; following it" : "Queued for a worker"}: reading the window, computing statistics and thresholds…`
          : state === "done"
            ? "Report computed."
            : null}
      </p>
      <FormError error={run.error} />
    </div>
  );
}
