"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { AbPanel } from "./ab-panel";
import { HealthCharts } from "./health-charts";
import { ShadowPanel } from "./shadow-panel";
import { LIVE_POLL_MS } from "./use-deployment";

type Deployment = RouterOutputs["deployment"]["get"];

/** The health window the charts show. */
const HEALTH_MINUTES = 60;
/** Without a rollout in flight the charts still move with traffic, only less urgently. */
const IDLE_POLL_MS = 15_000;

export function HealthSection({ deployment }: { deployment: Deployment }) {
  const trpc = useTRPC();
  const live = deployment.candidateVersionId !== null;
  const health = useQuery(
    trpc.deployment.health.queryOptions({ projectId: deployment.projectId, deploymentId: deployment.id, minutes: HEALTH_MINUTES }, { refetchInterval: live ? LIVE_POLL_MS : IDLE_POLL_MS }),
  );
  return (
    <Section title="Health" description={`Requests, latency and errors per version over the last ${HEALTH_MINUTES} minutes, from every serving process.`}>
      {health.isPending ? (
        <LoadingRows rows={2} label="Loading health" />
      ) : health.error ? (
        <ErrorState error={health.error} onRetry={() => void health.refetch()} title="Could not load health" />
      ) : (
        <HealthCharts series={health.data} minutes={HEALTH_MINUTES} />
      )}
    </Section>
  );
}

export function ShadowSection({ deployment, label }: { deployment: Deployment; label: (id: string) => string }) {
  const trpc = useTRPC();
  const report = useQuery(trpc.deployment.shadow.queryOptions({ projectId: deployment.projectId, deploymentId: deployment.id }, { refetchInterval: LIVE_POLL_MS }));
  return (
    <Section title="Shadow comparison" description="The stable version's answers against the candidate's on the same mirrored requests; the candidate answers no caller.">
      {report.isPending ? (
        <LoadingRows rows={2} label="Loading shadow comparison" />
      ) : report.error ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} title="Could not load the shadow comparison" />
      ) : (
        <ShadowPanel report={report.data} label={label} />
      )}
    </Section>
  );
}

export function AbSection({ deployment, label }: { deployment: Deployment; label: (id: string) => string }) {
  const trpc = useTRPC();
  const report = useQuery(trpc.deployment.ab.queryOptions({ projectId: deployment.projectId, deploymentId: deployment.id }, { refetchInterval: LIVE_POLL_MS }));
  return (
    <Section title="A/B results" description="Callers are assigned by a hash of their request key, so each keeps its arm; the arms are compared on feedback labels.">
      {report.isPending ? (
        <LoadingRows rows={2} label="Loading A/B results" />
      ) : report.error ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} title="Could not load the A/B results" />
      ) : (
        <AbPanel report={report.data} label={label} />
      )}
    </Section>
  );
}
