"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@tremor/react";
import { useRouter } from "next/navigation";
import { ConfirmButton } from "../../../../_components/confirm-button";
import { useOrg } from "../../../../_components/org-context";
import { refreshAfterWrite } from "../../../../_lib/refresh";
import { useTRPC } from "../../../../_lib/trpc";
import type { RunDetail } from "../_components/types";

/** Archive (hide from the runs list, reversible) and delete, for ADMINs; the server refuses deleting a live or depended-on run. */
export function RunActions({ run, runsHref }: { run: RunDetail; runsHref: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { can } = useOrg();
  const archive = useMutation(trpc.run.archive.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.run.pathKey()) }));
  const remove = useMutation(trpc.run.delete.mutationOptions());
  const archived = run.archivedAt !== null;
  const ref = { projectId: run.projectId, runId: run.id };
  return (
    <div className="flex items-center gap-2">
      {archived ? <Badge color="amber">Archived</Badge> : null}
      {can("ADMIN") ? (
        <>
          <ConfirmButton
            // A new button when the state flips, so an open dialog never changes its words while it closes.
            key={archived ? "unarchive" : "archive"}
            label={archived ? "Unarchive" : "Archive"}
            title={archived ? `Unarchive run #${run.number}?` : `Archive run #${run.number}?`}
            onConfirm={() => archive.mutateAsync({ ...ref, archived: !archived })}
          >
            {archived ? "The run shows in the runs list again." : "The run leaves the runs list (it stays under “Show archived”); nothing is deleted."}
          </ConfirmButton>
          <ConfirmButton
            label="Delete"
            title={`Delete run #${run.number} ${run.name}?`}
            confirmLabel="Delete for good"
            onConfirm={async () => {
              await remove.mutateAsync(ref);
              await refreshAfterWrite(queryClient, trpc.run.pathKey());
              router.push(runsHref);
            }}
          >
            Its metrics, logs, evaluations and artifacts are deleted (stored files only when nothing else holds the same bytes). A queued or running run, or one a model
            version was produced by, cannot be deleted. This cannot be undone.
          </ConfirmButton>
        </>
      ) : null}
    </div>
  );
}
