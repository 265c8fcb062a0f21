"use client";

import { useQueries } from "@tanstack/react-query";
import { useProject } from "../../../../_components/org-context";
import { useTRPC, type RouterOutputs } from "../../../../_lib/trpc";

export type VersionRow = RouterOutputs["model"]["versions"][number];

/**
 * The versions of the models that `modelIds` name (archived ones too: a deployment may still serve
 * one), so that version ids in splits and ledger entries read as "v3".
 */
export function useVersions(modelIds: string[]) {
  const trpc = useTRPC();
  const project = useProject();
  const unique = [...new Set(modelIds)];
  const results = useQueries({ queries: unique.map((modelId) => trpc.model.versions.queryOptions({ projectId: project.id, modelId, includeArchived: true })) });
  const byId = new Map<string, VersionRow>();
  for (const r of results) for (const v of r.data ?? []) byId.set(v.id, v);
  return {
    byId,
    /** "v3", or a short id while versions load (or for a version this caller cannot see). */
    label: (id: string | null | undefined) => (id ? (byId.get(id) ? `v${byId.get(id)!.number}` : `${id.slice(0, 8)}…`) : "—"),
    pending: results.some((r) => r.isPending),
  };
}
