"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "@tremor/react";
import Link from "next/link";
import { useOrg, useProject } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { RelativeTime } from "../../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows } from "../../../_components/states";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";
import { PolicyBadge, StatusBadge, StrategyBadge } from "./_components/badges";
import { EnvironmentsPanel } from "./_components/environments-panel";
import { NewDeploymentForm } from "./_components/new-deployment-form";
import { deploymentPaths, inferUrl } from "./_components/paths";
import { SplitBar } from "./_components/split-bar";
import { useVersions } from "./_components/use-versions";

type Deployment = RouterOutputs["deployment"]["list"][number];

/** While any rollout is in flight the split moves by itself (rollout steps, automatic rollback). */
const POLL_MS = 3_000;
const inFlight = (d: Deployment) => d.candidateVersionId !== null;

function DeploymentCard({ d, label, modelName, href, serveUrl }: { d: Deployment; label: (id: string | null) => string; modelName: string; href: string; serveUrl: string }) {
  return (
    <Card className="space-y-3 p-4" data-deployment={d.name}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <Link href={href} className="font-medium text-blue-700 hover:underline">
            {d.name}
          </Link>
          <span className="ml-2 text-sm text-gray-500">{modelName}</span>
        </div>
        <div className="flex items-center gap-2">
          <StrategyBadge strategy={d.strategy} />
          <StatusBadge status={d.status} />
        </div>
      </div>
      <SplitBar strategy={d.strategy} stable={label(d.stableVersionId)} candidate={d.candidateVersionId ? label(d.candidateVersionId) : null} candidatePercent={d.candidatePercent} />
      {d.rollout ? (
        <p className="text-xs text-gray-600" data-rollout-step={d.rollout.step}>
          Canary step {d.rollout.step + 1} of {d.rollout.config.steps.length} ({d.rollout.config.steps.join(" → ")} %)
          {d.rollout.lastCheck ? ` · last check ${d.rollout.lastCheck.verdict}` : ""}
        </p>
      ) : null}
      <p className="flex flex-wrap justify-between gap-2 text-xs text-gray-500">
        <code className="truncate font-mono">{inferUrl(serveUrl, d.name)}</code>
        <span>
          changed <RelativeTime date={d.updatedAt} />
        </span>
      </p>
    </Card>
  );
}

export function DeploymentsPage({ serveUrl }: { serveUrl: string }) {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const project = useProject();
  const paths = deploymentPaths(`/${org.slug}/${project.slug}`);
  const environments = useQuery(trpc.deployment.environments.queryOptions({ projectId: project.id }));
  const deployments = useQuery(trpc.deployment.list.queryOptions({ projectId: project.id }, { refetchInterval: (q) => (q.state.data?.some(inFlight) ? POLL_MS : false) }));
  const models = useQuery(trpc.model.list.queryOptions({ projectId: project.id }));
  const versions = useVersions((deployments.data ?? []).map((d) => d.modelId));
  const modelName = (id: string) => models.data?.find((m) => m.id === id)?.name ?? "";

  return (
    <div className="space-y-6">
      <PageHeader title="Deployments" description="Models served in environments, their live traffic split between versions, rollouts and the ledger of every change." />
      {environments.isPending || deployments.isPending ? (
        <LoadingRows rows={4} label="Loading deployments" />
      ) : environments.error ? (
        <ErrorState error={environments.error} onRetry={() => void environments.refetch()} title="Could not load environments" />
      ) : deployments.error ? (
        <ErrorState error={deployments.error} onRetry={() => void deployments.refetch()} title="Could not load deployments" />
      ) : (
        <>
          {deployments.data.length === 0 ? (
            <EmptyState title="Nothing is deployed yet">
              A deployment serves one model in an environment under a name, with a traffic split between a stable version and an optional candidate (canary, blue/green, shadow or
              A/B). Its endpoint is <code className="font-mono text-xs">{inferUrl(serveUrl, "{name}")}</code> (Open Inference Protocol, or{" "}
              <code className="font-mono text-xs">{'{"instances":[{…}]}'}</code>), called with an API token that has the <code className="font-mono text-xs">predict</code> scope.
              {can("ADMIN") ? " Create one below." : " An admin of the project creates them."}
            </EmptyState>
          ) : (
            environments.data
              .filter((env) => deployments.data.some((d) => d.environment.id === env.id))
              .map((env) => (
                <section key={env.id} aria-label={`Environment ${env.name}`} className="space-y-3">
                  <h2 className="flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-gray-500">
                    {env.name} <PolicyBadge requires={env.requires} />
                  </h2>
                  <div className="grid gap-4 lg:grid-cols-2">
                    {deployments.data
                      .filter((d) => d.environment.id === env.id)
                      .map((d) => (
                        <DeploymentCard key={d.id} d={d} label={versions.label} modelName={modelName(d.modelId)} href={paths.deployment(d.name)} serveUrl={serveUrl} />
                      ))}
                  </div>
                </section>
              ))
          )}
          {can("ADMIN") ? <NewDeploymentForm environments={environments.data} /> : null}
          <EnvironmentsPanel environments={environments.data} />
        </>
      )}
    </div>
  );
}
