"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ConfirmButton } from "../../../../../../_components/confirm-button";
import { useOrg, useProject } from "../../../../../../_components/org-context";
import { refreshAfterWrite } from "../../../../../../_lib/refresh";
import { useTRPC } from "../../../../../../_lib/trpc";
import type { VersionDetail } from "./types";

/** Archive (hidden from promotion and gating, reversible) for ADMINs; the server refuses while an alias points at the version. */
export function VersionActions({ version }: { version: VersionDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const project = useProject();
  const refresh = async () => {
    await Promise.all([refreshAfterWrite(queryClient, trpc.model.pathKey()), refreshAfterWrite(queryClient, trpc.promotion.pathKey())]);
  };
  const archive = useMutation(trpc.model.archiveVersion.mutationOptions({ onSuccess: refresh }));
  const unarchive = useMutation(trpc.model.unarchiveVersion.mutationOptions({ onSuccess: refresh }));
  if (!can("ADMIN")) return null;
  const ref = { projectId: project.id, versionId: version.id };
  return version.archivedAt ? (
    <ConfirmButton key="unarchive" label="Unarchive" title={`Unarchive v${version.number}?`} onConfirm={() => unarchive.mutateAsync(ref)}>
      The version can be gated, approved and promoted again.
    </ConfirmButton>
  ) : (
    <ConfirmButton key="archive" label="Archive" title={`Archive v${version.number}?`} onConfirm={() => archive.mutateAsync(ref)}>
      An archived version cannot be gated or promoted; its file, reports and decisions are kept. A version an alias points at cannot be archived.
    </ConfirmButton>
  );
}
