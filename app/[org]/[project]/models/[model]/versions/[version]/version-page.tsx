"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@tremor/react";
import { Breadcrumbs } from "../../../../../../_components/breadcrumbs";
import { useProject } from "../../../../../../_components/org-context";
import { DateTime } from "../../../../../../_components/relative-time";
import { ErrorState, LoadingRows } from "../../../../../../_components/states";
import { formatBytes } from "../../../../../../_lib/format";
import { useTRPC } from "../../../../../../_lib/trpc";
import { AliasBadge } from "../../../_components/badges";
import { useModel } from "../../../_components/model-context";
import { ApprovalsPanel } from "./approvals-panel";
import { ComparePicker } from "./compare-picker";
import { GateSection } from "./gate-section";
import { LineagePanel } from "./lineage-panel";
import { MetricsPanel, SignaturePanel } from "./evidence-panels";
import { VersionActions } from "./version-actions";

/** `report`: a gate report to show instead of the latest (the deployment ledger links here with ?report=). */
export function VersionPage({ versionId, report = null }: { versionId: string; report?: string | null }) {
  const trpc = useTRPC();
  const project = useProject();
  const model = useModel();
  const version = useQuery(trpc.model.version.queryOptions({ projectId: project.id, versionId }));

  if (version.isPending) return <LoadingRows rows={6} label="Loading version" />;
  if (version.error) return <ErrorState error={version.error} onRetry={() => void version.refetch()} title="Could not load this version" />;
  const v = version.data;

  return (
    <div className="space-y-6" data-version-page={v.number}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <Breadcrumbs items={[{ label: "Versions", href: model.paths.base }, { label: `v${v.number}` }]} />
          <h3 className="mt-1 flex flex-wrap items-center gap-2 text-lg font-semibold text-gray-900">
            {model.name} v{v.number}
            {v.aliases.map((a) => (
              <AliasBadge key={a} name={a} />
            ))}
            {v.archivedAt ? (
              <Badge size="xs" color="amber">
                archived
              </Badge>
            ) : null}
          </h3>
          <p className="mt-1 text-xs text-gray-500">
            Registered by {v.createdBy.label} on <DateTime date={v.createdAt} /> · {formatBytes(v.sizeBytes)} ·{" "}
            <span className="font-mono" title={v.sha256}>
              sha256 {v.sha256.slice(0, 12)}
            </span>
          </p>
          {v.description ? <p className="mt-1 text-sm text-gray-600">{v.description}</p> : null}
        </div>
        <div className="flex items-center gap-2">
          <ComparePicker current={v.number} />
          <VersionActions version={v} />
        </div>
      </div>
      <LineagePanel version={v} />
      <GateSection version={v} report={report} />
      <ApprovalsPanel version={v} />
      <div className="grid gap-6 lg:grid-cols-2">
        <MetricsPanel version={v} />
        <SignaturePanel version={v} />
      </div>
    </div>
  );
}
