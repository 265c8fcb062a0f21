"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@tremor/react";
import { useRouter } from "next/navigation";
import { ConfirmButton } from "../../../../../_components/confirm-button";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { Section } from "../../../../../_components/states";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";

/** Archive (hide from the list, reversible) and delete (refused while something depends on the data), for ADMINs. */
export function DatasetDangerZone({ dataset }: { dataset: RouterOutputs["dataset"]["get"] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org, can } = useOrg();
  const project = useProject();
  const archive = useMutation(trpc.dataset.archive.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.dataset.pathKey()) }));
  const remove = useMutation(trpc.dataset.delete.mutationOptions());
  if (!can("ADMIN")) return null;
  const archived = dataset.archivedAt !== null;
  const ref = { projectId: dataset.projectId, datasetId: dataset.id };

  return (
    <Section
      title="Archive or delete"
      description="Archiving hides the dataset from the datasets list; its versions stay usable and it can be unarchived. Deleting removes every version and its stored files, and is refused while a run or another dataset's version depends on one of them."
      actions={archived ? <Badge color="amber">Archived</Badge> : null}
    >
      <div className="flex flex-wrap gap-3">
        <ConfirmButton
          // A new button when the state flips, so an open dialog never changes its words while it closes.
          key={archived ? "unarchive" : "archive"}
          label={archived ? "Unarchive dataset" : "Archive dataset"}
          title={archived ? `Unarchive ${dataset.slug}?` : `Archive ${dataset.slug}?`}
          variant="secondary"
          onConfirm={() => archive.mutateAsync({ ...ref, archived: !archived })}
        >
          {archived ? "The dataset shows in the datasets list again." : "The dataset leaves the datasets list (it stays under “Show archived”); nothing is deleted."}
        </ConfirmButton>
        <ConfirmButton
          label="Delete dataset"
          title={`Delete ${dataset.slug}?`}
          confirmLabel="Delete for good"
          variant="primary"
          onConfirm={async () => {
            await remove.mutateAsync(ref);
            await refreshAfterWrite(queryClient, trpc.dataset.pathKey());
            router.push(`/${org.slug}/${project.slug}/datasets`);
          }}
        >
          All {dataset.versionCount} version{dataset.versionCount === 1 ? "" : "s"} and their stored files are deleted. This cannot be undone.
        </ConfirmButton>
      </div>
    </Section>
  );
}
