"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { AbPanel } from "./ab-panel";
import { HealthCharts } from "./health-charts";
import { ShadowPanel } from "./shadow-panel";
import { LIVE_POLL_MS } from "./use-deployment";

type Deployment = RouterOutputs["deployment"]["get"];

/** The health windows on offer, in minutes; an hour first. */
const WINDOWS = [
  { minutes: 15, label: "15 min" },
  { minutes: 60, label: "1 h" },
  { minutes: 360, label: "6 h" },
  { minutes: 1440, label: "24 h" },
] as const;
/** Without a rollout in flight the charts still move with traffic, only less urgently. */
const IDLE_POLL_MS = 15_000;

export function HealthSection({ deployment }: { deployment: Deployment }) {
  const trpc = useTRPC();
  const live = deployment.candidateVersionId !== null;
  const [minutes, setMinutes] = useState<number>(60);
  const health = useQuery(
    trpc.deployment.health.queryOptions({ projectId: deployment.projectId, deploymentId: deployment.id, minutes }, { refetchInterval: live ? LIVE_POLL_MS : IDLE_POLL_MS, placeholderData: keepPreviousData }),
  );
  const windowPicker = (
    <div role="group" aria-label="Health window" className="flex overflow-hidden rounded-md border border-gray-200 text-xs">
      {WINDOWS.map((w) => (
        <button
          key={w.minutes}
          type="button"
          aria-pressed={minutes === w.minutes}
          onClick={() => setMinutes(w.minutes)}
          className={`px-2.5 py-1 ${minutes === w.minutes ? "bg-blue-50 font-medium text-blue-700" : "bg-white text-gray-600 hover:bg-gray-50"}`}
        >
          {w.label}
        </button>
      ))}
    </div>
  );
  return (
    <Section title="Health" description="Requests, latency and errors per version, from every serving process; the quiet start of the window is left out." actions={windowPicker}>
      {health.isPending ? (
        <LoadingRows rows={2} label="Loading health" />
      ) : health.error ? (
        <ErrorState error={health.error} onRetry={() => void health.refetch()} title="Could not load health" />
      ) : (
        <HealthCharts series={health.data} minutes={minutes} />
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
    <Section title="A/B results" description="Callers with an x-cairn-key header are assigned by its hash, so each keeps its arm (requests without one are drawn at random); the arms are compared on feedback labels.">
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
