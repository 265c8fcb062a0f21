"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ConfirmButton } from "../../../../../../_components/confirm-button";
import { useOrg } from "../../../../../../_components/org-context";
import { refreshAfterWrite } from "../../../../../../_lib/refresh";
import { useTRPC } from "../../../../../../_lib/trpc";
import { useDataset } from "../../../_components/dataset-context";

/** ADMINs delete a version; the server refuses (and the dialog says why) while something depends on it. */
export function DeleteVersionButton({ version }: { version: { id: string; number: number } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { can } = useOrg();
  const dataset = useDataset();
  const remove = useMutation(trpc.dataset.deleteVersion.mutationOptions());
  if (!can("ADMIN")) return null;
  return (
    <ConfirmButton
      label="Delete version"
      title={`Delete version ${version.number} of ${dataset.slug}?`}
      confirmLabel="Delete for good"
      onConfirm={async () => {
        await remove.mutateAsync({ projectId: dataset.projectId, versionId: version.id });
        await refreshAfterWrite(queryClient, trpc.dataset.pathKey());
        router.push(dataset.paths.base);
      }}
    >
      The version, its profile and validation reports are deleted, and its file too unless other versions or runs hold the same bytes. Deleting is refused while a derived
      version or a run depends on it. This cannot be undone.
    </ConfirmButton>
  );
}
