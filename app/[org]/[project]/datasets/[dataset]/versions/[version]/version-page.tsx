"use client";

import { useQuery } from "@tanstack/react-query";
import { Callout } from "@tremor/react";
import { ErrorState, LoadingRows, Section } from "../../../../../../_components/states";
import { useTRPC } from "../../../../../../_lib/trpc";
import { useDataset } from "../../../_components/dataset-context";
import { isPending, pollWhilePending } from "../../../_components/polling";
import { ColumnProfiles } from "./column-profiles";
import { SchemaTable } from "./schema-table";
import { SplitsCard } from "./splits-card";
import { ValidationReport } from "./validation-report";
import { VersionHeader } from "./version-header";

export function VersionPage({ versionId }: { versionId: string }) {
  const trpc = useTRPC();
  const dataset = useDataset();
  const version = useQuery(trpc.dataset.version.queryOptions({ projectId: dataset.projectId, versionId }, { refetchInterval: pollWhilePending(isPending) }));

  if (version.isPending) return <LoadingRows rows={6} label="Loading version" />;
  if (version.error) return <ErrorState error={version.error} onRetry={() => void version.refetch()} />;
  const v = version.data;
  if (v.datasetId !== dataset.id) return <ErrorState title="Not in this dataset" error={new Error(`This version belongs to another dataset.`)} />;
  // The profile column holds the profiler's output as written by the profile job.
  const profile = v.profile;

  return (
    <div className="space-y-6">
      <VersionHeader version={v} />
      <SplitsCard version={v} />
      <ValidationReport version={v} />
      {v.profileStatus === "PENDING" ? (
        <Section title="Schema and profile">
          <LoadingRows rows={4} label="Loading profile: the worker is profiling this version" />
        </Section>
      ) : v.profileStatus === "FAILED" || !profile ? (
        <Callout title="Profiling failed" color="rose" role="alert">
          {v.profileError ?? "The worker could not profile this version."}
        </Callout>
      ) : (
        <>
          <SchemaTable profile={profile} />
          <ColumnProfiles profile={profile} exact={v.exactHistograms} />
        </>
      )}
    </div>
  );
}
