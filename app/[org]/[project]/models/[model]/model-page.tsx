"use client";

import { useQuery } from "@tanstack/react-query";
import { useProject } from "../../../../_components/org-context";
import { ErrorState, LoadingRows } from "../../../../_components/states";
import { useTRPC } from "../../../../_lib/trpc";
import { useModel } from "../_components/model-context";
import { AliasesPanel } from "./_parts/aliases-panel";
import { HistoryTimeline } from "./_parts/history-timeline";
import { RollbackButton } from "./_parts/promote";
import { VersionsTable } from "./_parts/versions-table";

export function ModelPage() {
  const trpc = useTRPC();
  const project = useProject();
  const model = useModel();
  const ref = { projectId: project.id, modelId: model.id };
  const detail = useQuery(trpc.model.get.queryOptions(ref));
  const versions = useQuery(trpc.model.versions.queryOptions(ref));

  if (detail.isPending || versions.isPending) return <LoadingRows rows={6} label="Loading model" />;
  if (detail.error) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} title="Could not load this model" />;
  if (versions.error) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} title="Could not load the versions" />;
  const champion = detail.data.champion;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-gray-600" data-current-champion={champion?.number ?? ""}>
          {champion ? (
            <>
              Champion: <span className="font-medium text-gray-900">v{champion.number}</span>
            </>
          ) : (
            "No champion yet: promote a version whose gate passed and whose approvals are complete."
          )}
          {detail.data.description ? <span className="mt-1 block text-gray-500">{detail.data.description}</span> : null}
        </p>
        {champion ? <RollbackButton modelId={model.id} /> : null}
      </div>
      <VersionsTable versions={versions.data} aliases={detail.data.aliases} championId={champion?.id ?? null} />
      <div className="grid gap-6 lg:grid-cols-2">
        <AliasesPanel aliases={detail.data.aliases} versions={versions.data} />
        <HistoryTimeline />
      </div>
    </div>
  );
}
