"use client";

import { useQuery } from "@tanstack/react-query";
import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import { useOrg, useProject } from "../../../../_components/org-context";
import { ErrorState, LoadingRows } from "../../../../_components/states";
import { useTRPC } from "../../../../_lib/trpc";
import { ArtifactsCard } from "./artifacts-card";
import { LIVE_MS } from "./live";
import { RunCharts } from "./run-charts";
import { RunDetails } from "./run-details";
import { RunHeader } from "./run-header";
import { TrainingPanels } from "./training/training-panels";

export function RunPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const runsHref = `/${org.slug}/${project.slug}/runs`;
  const run = useQuery(
    trpc.run.get.queryOptions({ projectId: project.id, runId }, { refetchInterval: (q) => (q.state.data?.status === "RUNNING" ? LIVE_MS : false) }),
  );

  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: "Runs", href: runsHref }, { label: run.data ? `${run.data.name} #${run.data.number}` : "Run" }]} />
      {run.isPending ? (
        <LoadingRows rows={6} label="Loading run" />
      ) : run.error ? (
        <ErrorState error={run.error} onRetry={() => void run.refetch()} title="Could not load this run" />
      ) : (
        <>
          <RunHeader run={run.data} runsHref={runsHref} />
          <TrainingPanels run={run.data} />
          <RunCharts run={run.data} />
          <RunDetails run={run.data} />
          <ArtifactsCard run={run.data} />
        </>
      )}
    </div>
  );
}
