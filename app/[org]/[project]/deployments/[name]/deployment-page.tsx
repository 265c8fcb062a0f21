"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import { useOrg, useProject } from "../../../../_components/org-context";
import { RelativeTime } from "../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../_components/states";
import { useTRPC } from "../../../../_lib/trpc";
import { modelPaths } from "../../models/_components/model-paths";
import { PolicyBadge, StatusBadge, StrategyBadge } from "../_components/badges";
import { deploymentPaths } from "../_components/paths";
import { SplitBar } from "../_components/split-bar";
import { useVersions } from "../_components/use-versions";
import { CandidateForm } from "./_parts/candidate-form";
import { DeploymentControls } from "./_parts/controls";
import { EndpointPanel } from "./_parts/endpoint-panel";
import { LedgerPanel } from "./_parts/ledger-panel";
import { AbSection, HealthSection, ShadowSection } from "./_parts/monitor-sections";
import { RolloutTimeline } from "./_parts/rollout-timeline";
import { LIVE_POLL_MS } from "./_parts/use-deployment";

export function DeploymentPage({ deploymentId, serveUrl }: { deploymentId: string; serveUrl: string }) {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const project = useProject();
  const projectBase = `/${org.slug}/${project.slug}`;
  const ref = { projectId: project.id, deploymentId };
  const deployment = useQuery(trpc.deployment.get.queryOptions(ref, { refetchInterval: (q) => (q.state.data?.candidateVersionId ? LIVE_POLL_MS : false) }));
  const modelId = deployment.data?.modelId ?? "";
  const model = useQuery(trpc.model.get.queryOptions({ projectId: project.id, modelId }, { enabled: !!modelId }));
  const versions = useVersions(modelId ? [modelId] : []);

  if (deployment.isPending) return <LoadingRows rows={6} label="Loading deployment" />;
  if (deployment.error) return <ErrorState error={deployment.error} onRetry={() => void deployment.refetch()} title="Could not load this deployment" />;
  const d = deployment.data;
  const live = d.candidateVersionId !== null;
  const admin = can("ADMIN");
  const candidate = d.candidateVersionId ? versions.label(d.candidateVersionId) : null;

  return (
    <div className="space-y-6" data-deployment-page={d.name} data-generation={d.generation}>
      <div>
        <Breadcrumbs items={[{ label: "Deployments", href: deploymentPaths(projectBase).base }, { label: d.name, mono: true }]} />
        <h2 className="mt-1 flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-gray-900">
          {d.name}
          <StrategyBadge strategy={d.strategy} />
          <StatusBadge status={d.status} />
        </h2>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-gray-500">
          {model.data ? (
            <Link href={modelPaths(projectBase, model.data.name).base} className="font-medium text-blue-700 hover:underline">
              {model.data.name}
            </Link>
          ) : null}
          in <span className="font-medium text-gray-700">{d.environment.name}</span> <PolicyBadge requires={d.environment.requires} /> · changed <RelativeTime date={d.updatedAt} />
        </p>
      </div>

      <Section title="Traffic" description={live ? `Live: refreshed every ${LIVE_POLL_MS / 1000} s while the candidate is in flight.` : "The stable version answers every request."}>
        <SplitBar strategy={d.strategy} stable={versions.label(d.stableVersionId)} candidate={candidate} candidatePercent={d.candidatePercent} />
        {admin ? <DeploymentControls deployment={d} /> : <p className="text-xs text-gray-500">Changing the split needs the ADMIN role.</p>}
        {admin && !live ? <CandidateForm deployment={d} /> : null}
      </Section>

      {d.strategy === "canary" || d.rollout ? <RolloutTimeline deployment={d} label={versions.label} /> : null}
      {d.strategy === "shadow" && live ? <ShadowSection deployment={d} label={versions.label} /> : null}
      {d.strategy === "ab" && live ? <AbSection deployment={d} label={versions.label} /> : null}
      <HealthSection deployment={d} />

      <EndpointPanel name={d.name} serveUrl={serveUrl} stable={versions.byId.get(d.stableVersionId)} />
      <LedgerPanel deploymentId={d.id} live={live} label={versions.label} />
    </div>
  );
}
