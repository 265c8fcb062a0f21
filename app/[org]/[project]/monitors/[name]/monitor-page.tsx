"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useState } from "react";
import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import { useOrg, useProject } from "../../../../_components/org-context";
import { RelativeTime } from "../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../_components/states";
import { useTRPC } from "../../../../_lib/trpc";
import { HealthSection } from "../../deployments/[name]/_parts/monitor-sections";
import { VerdictBadge } from "../_components/badges";
import { featureNames } from "../_components/chart-rows";
import { incidentOfMonitor } from "../_components/incidents";
import { monitorPaths } from "../_components/paths";
import { ChainPanel } from "./_parts/chain-panel";
import { DriftOverTime } from "./_parts/drift-over-time";
import { IncidentsPanel } from "./_parts/incidents-panel";
import { PerformancePanel } from "./_parts/performance-panel";
import { ReportSection } from "./_parts/report-section";
import { RulesPanel } from "./_parts/rules-panel";
import { RunNow, type RunState } from "./_parts/run-now";
import { SettingsForm } from "./_parts/settings-form";

/** While a run is followed the page polls quickly; otherwise reports arrive on the schedule. */
const FOLLOW_POLL_MS = 2_000;
const IDLE_POLL_MS = 30_000;
/** Windows drawn in the drift-over-time charts. */
const HISTORY = 48;

function runState(from: { at: number } | null, lastRunAt: Date | null | undefined): RunState {
  if (from === null) return "idle";
  return (lastRunAt?.getTime() ?? 0) > from.at ? "done" : "running";
}

const windowWords = (w: { kind: string; rows?: number }) => (w.kind === "rows" ? `windows of ${w.rows} rows` : w.kind === "dataset" ? "each new version of a dataset" : `${w.kind} windows`);

/** `incident`: an incident to open the chain of (the deployment ledger links here with ?incident=). */
export function MonitorPage({ name, incident: initialIncident = null }: { name: string; incident?: string | null }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const paths = monitorPaths(`/${org.slug}/${project.slug}`);
  // lastRunAt (ms) when "Run now" was pressed; null when no run was started from this page.
  const [runFrom, setRunFrom] = useState<{ at: number; queued: boolean } | null>(null);
  const [incident, setIncident] = useState<string | null>(initialIncident);
  const ref = { projectId: project.id, name };
  const monitor = useQuery(trpc.monitor.get.queryOptions(ref, { refetchInterval: (q) => (runState(runFrom, q.state.data?.lastRunAt) === "running" ? FOLLOW_POLL_MS : IDLE_POLL_MS) }));
  const state = runState(runFrom, monitor.data?.lastRunAt);
  const poll = state === "running" ? FOLLOW_POLL_MS : IDLE_POLL_MS;
  const reports = useQuery(trpc.monitor.reports.queryOptions({ ...ref, kind: "data", limit: HISTORY }, { refetchInterval: poll }));
  const deploymentId = monitor.data?.deploymentId ?? "";
  const deployment = useQuery(trpc.deployment.get.queryOptions({ projectId: project.id, deploymentId }, { enabled: deploymentId !== "" }));
  const lastRunMs = monitor.data?.lastRunAt?.getTime() ?? 0;
  const onStart = useCallback((queued: boolean) => setRunFrom({ at: lastRunMs, queued }), [lastRunMs]);
  const belongs = useCallback((i: { link: string }) => incidentOfMonitor(i, name), [name]);

  if (monitor.isPending) return <LoadingRows rows={6} label="Loading monitor" />;
  if (monitor.error) return <ErrorState error={monitor.error} onRetry={() => void monitor.refetch()} title="Could not load this monitor" />;
  const m = monitor.data;
  const features = featureNames(reports.data ?? []);

  return (
    <div className="space-y-6" data-monitor-page={m.name}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <Breadcrumbs items={[{ label: "Monitors", href: paths.base }, { label: m.name, mono: true }]} />
          <h2 className="mt-1 flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-gray-900">
            {m.name} <VerdictBadge verdict={m.lastVerdict} />
          </h2>
          <p className="mt-1 text-sm text-gray-500">
            Watches{" "}
            <Link href={paths.deployment(m.deploymentName)} className="font-medium text-blue-700 hover:underline">
              {m.deploymentName}
            </Link>{" "}
            against {m.reference.kind === "training" ? "the stable version's training data" : "a chosen dataset version"} · {windowWords(m.window)} ·{" "}
            {m.mode === "calibrated" ? `calibrated at α = ${m.alpha}` : "Evidently's defaults"} · {m.enabled ? `schedule ${m.schedule} UTC` : "paused"} ·{" "}
            {m.lastRunAt ? (
              <>
                last run <RelativeTime date={m.lastRunAt} />
              </>
            ) : (
              "never run"
            )}
          </p>
        </div>
        <RunNow name={m.name} state={state} alreadyQueued={runFrom?.queued === false} onStart={onStart} />
      </div>

      <Section title="Drift per feature over time" description="Each feature's statistic divided by its threshold, so every statistic and window size shares one scale: above 1 is over the threshold.">
        {reports.isPending ? (
          <LoadingRows rows={3} label="Loading reports" />
        ) : reports.error ? (
          <ErrorState error={reports.error} onRetry={() => void reports.refetch()} title="Could not load reports" />
        ) : (
          <DriftOverTime reports={reports.data} />
        )}
      </Section>

      {reports.data ? <ReportSection monitorName={m.name} reports={reports.data} mode={m.mode} /> : null}

      <PerformancePanel monitorName={m.name} minLabels={m.minLabels} labelDelaySeconds={m.labelDelaySeconds} poll={poll} />

      {deployment.data ? (
        <HealthSection deployment={deployment.data} />
      ) : deployment.error ? (
        <ErrorState error={deployment.error} onRetry={() => void deployment.refetch()} title="Could not load the deployment's latency and errors" />
      ) : (
        <LoadingRows rows={2} label="Loading latency and errors" />
      )}

      <IncidentsPanel belongs={belongs} selected={incident} onSelect={(id) => setIncident((cur) => (cur === id ? null : id))} />
      {incident ? <ChainPanel incidentId={incident} deploymentName={m.deploymentName} /> : null}

      <RulesPanel monitorName={m.name} features={features} />
      <SettingsForm monitor={m} knownFeatures={features} />
    </div>
  );
}
