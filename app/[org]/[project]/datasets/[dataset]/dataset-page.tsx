"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Callout } from "@tremor/react";
import Link from "next/link";
import { useCallback } from "react";
import { useOrg } from "../../../../_components/org-context";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../../_components/states";
import { formatPercent } from "../../../../_lib/format";
import { useTRPC } from "../../../../_lib/trpc";
import { useDataset } from "../_components/dataset-context";
import { isPending, pollWhilePending } from "../_components/polling";
import { UploadArea } from "./upload-area";
import { VersionsTable } from "./versions-table";
import { refreshAfterWrite } from "../../../../_lib/refresh";

export function DatasetPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const dataset = useDataset();
  const canWrite = can("MEMBER");
  const ref = { projectId: dataset.projectId, datasetId: dataset.id };
  const info = useQuery(trpc.dataset.get.queryOptions(ref));
  const versions = useQuery(trpc.dataset.versions.queryOptions(ref, { refetchInterval: pollWhilePending((list) => list.some(isPending)) }));

  const onCreated = useCallback(() => {
    void refreshAfterWrite(queryClient, trpc.dataset.pathKey());
  }, [queryClient, trpc]);

  return (
    <div className="space-y-6">
      {info.data?.description ? <p className="max-w-3xl whitespace-pre-line text-sm text-gray-600">{info.data.description}</p> : null}
      {canWrite ? (
        <Section title="Upload a version" description="The file streams to the server, which checks that it parses before storing it.">
          <UploadArea onCreated={onCreated} />
        </Section>
      ) : (
        <Callout title="Read-only" color="slate">
          Your role can browse versions, profiles and contracts; members can upload versions.
        </Callout>
      )}
      <Section
        title="Versions"
        description={
          info.data ? (
            <>
              New versions are split {formatPercent(info.data.splitConfig.ratios.train, 0)} / {formatPercent(info.data.splitConfig.ratios.validation, 0)} /{" "}
              {formatPercent(info.data.splitConfig.ratios.test, 0)}
              {info.data.splitConfig.keyColumn ? ` by ${info.data.splitConfig.keyColumn}` : " by row order"}.{" "}
              {info.data.hasContract ? (
                <Link href={dataset.paths.contract} className="text-blue-700 hover:underline">
                  Checked against the data contract.
                </Link>
              ) : (
                <Link href={dataset.paths.contract} className="text-blue-700 hover:underline">
                  No data contract yet.
                </Link>
              )}
            </>
          ) : undefined
        }
      >
        {versions.isPending ? (
          <LoadingRows label="Loading versions" />
        ) : versions.error ? (
          <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />
        ) : versions.data.length === 0 ? (
          <EmptyState title="No versions yet">
            {canWrite ? "Drop a file above, or upload from CI with PUT /api/v1/projects/{project}/datasets/{dataset}/versions." : "A member can upload the first version."}
          </EmptyState>
        ) : (
          <VersionsTable versions={versions.data} />
        )}
      </Section>
    </div>
  );
}
