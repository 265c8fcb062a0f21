"use client";

import { useQuery } from "@tanstack/react-query";
import { Select, SelectItem } from "@tremor/react";
import Link from "next/link";
import { useEffect } from "react";
import { EmptyState, ErrorState, LoadingRows } from "../../../../_components/states";
import { formatCount } from "../../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../../_lib/trpc";
import { ProfileBadge, ValidationBadge } from "../../datasets/_components/badges";
import { isPending, pollWhilePending } from "../../datasets/_components/polling";
import { unusableReason } from "../../datasets/_components/usable";

export type Version = RouterOutputs["dataset"]["versions"][number];

interface Props {
  projectId: string;
  datasetsHref: string;
  datasetId: string;
  versionId: string;
  disabled: boolean;
  onDataset: (id: string) => void;
  onVersion: (version: Version) => void;
}

export function DataPicker({ projectId, datasetsHref, datasetId, versionId, disabled, onDataset, onVersion }: Props) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId }));
  const versions = useQuery(
    trpc.dataset.versions.queryOptions({ projectId, datasetId }, { enabled: datasetId !== "", refetchInterval: pollWhilePending((vs: Version[]) => vs.some(isPending)) }),
  );

  // A fresh form starts on the dataset with the newest version, and on its newest usable version.
  useEffect(() => {
    if (datasetId !== "" || !datasets.data?.length) return;
    const newest = [...datasets.data].filter((d) => d.latest).sort((a, b) => b.latest!.createdAt.getTime() - a.latest!.createdAt.getTime())[0];
    if (newest) onDataset(newest.id);
  }, [datasetId, datasets.data, onDataset]);
  useEffect(() => {
    if (versionId !== "" || !versions.data) return;
    const usable = versions.data.find((v) => unusableReason(v) === null);
    if (usable) onVersion(usable);
  }, [versionId, versions.data, onVersion]);

  if (datasets.isPending) return <LoadingRows rows={2} label="Loading datasets" />;
  if (datasets.error) return <ErrorState error={datasets.error} onRetry={() => void datasets.refetch()} />;
  if (datasets.data.length === 0) {
    return (
      <EmptyState title="No datasets yet" action={<Link href={datasetsHref} className="text-sm text-blue-700 hover:underline">Create a dataset</Link>}>
        Training reads a dataset version; upload one first.
      </EmptyState>
    );
  }

  return (
    <div className="space-y-4">
      <div className="max-w-sm">
        <Select value={datasetId} onValueChange={onDataset} enableClear={false} placeholder="Pick a dataset" aria-label="Dataset" disabled={disabled}>
          {datasets.data.map((d) => (
            <SelectItem key={d.id} value={d.id}>
              {d.name}
            </SelectItem>
          ))}
        </Select>
      </div>
      {datasetId === "" ? null : versions.isPending ? (
        <LoadingRows rows={2} label="Loading versions" />
      ) : versions.error ? (
        <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />
      ) : versions.data.length === 0 ? (
        <EmptyState title="This dataset has no versions">Upload a file to the dataset to train on it.</EmptyState>
      ) : (
        <fieldset className="space-y-1.5" aria-label="Dataset version">
          <legend className="mb-1 text-sm font-medium text-gray-700">Version</legend>
          {versions.data.map((v) => {
            const reason = unusableReason(v);
            return (
              <label
                key={v.id}
                data-version={v.number}
                className={`flex items-start gap-3 rounded-md border px-3 py-2 text-sm ${reason ? "cursor-not-allowed border-gray-100 bg-gray-50" : "cursor-pointer border-gray-200 hover:bg-gray-50"} ${v.id === versionId ? "border-blue-400 bg-blue-50" : ""}`}
              >
                <input type="radio" name="dataset-version" className="mt-0.5" checked={v.id === versionId} disabled={disabled || reason !== null} onChange={() => onVersion(v)} />
                <span className="min-w-0 flex-1">
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-gray-900">v{v.number}</span>
                    <span className="truncate text-gray-500">{v.fileName}</span>
                    <span className="text-gray-500">{v.rowCount === null ? "" : `${formatCount(v.rowCount)} rows · ${v.columns.length} columns`}</span>
                    <ProfileBadge status={v.profileStatus} error={v.profileError} />
                    <ValidationBadge status={v.validation} />
                  </span>
                  {reason ? (
                    <span className="mt-0.5 block text-xs text-gray-500" data-unusable>
                      {reason}
                    </span>
                  ) : null}
                </span>
              </label>
            );
          })}
        </fieldset>
      )}
    </div>
  );
}
