"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@tremor/react";
import Link from "next/link";
import type { ReactNode } from "react";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { RelativeTime } from "../../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { IncidentBadge, VerdictBadge } from "../../_components/badges";
import { monitorPaths, type MonitorPaths } from "../../_components/paths";

type ChainRun = RouterOutputs["monitor"]["chain"]["runs"][number];
type Step = RouterOutputs["pipeline"]["runGet"]["steps"][number];

/** A retraining run moves through its steps (train, gate, canary); the chain follows it. */
const POLL_MS = 5_000;

const RUN_COLOR: Record<string, "gray" | "blue" | "emerald" | "rose" | "amber"> = { QUEUED: "gray", RUNNING: "blue", SUCCEEDED: "emerald", FAILED: "rose", CANCELLED: "amber" };
const STEP_COLOR: Record<string, "gray" | "blue" | "emerald" | "rose" | "amber"> = { SUCCEEDED: "emerald", CACHED: "emerald", RUNNING: "blue", FAILED: "rose", SKIPPED: "gray", PENDING: "gray", CANCELLED: "amber" };

function ChainStep({ label, children }: { label: string; children: ReactNode }) {
  return (
    <li className="relative pb-5 pl-6 last:pb-0" data-chain-link={label}>
      <span className="absolute left-0 top-1 h-3 w-3 rounded-full border-2 border-blue-500 bg-white" aria-hidden />
      <span className="absolute bottom-0 left-[5px] top-4 w-0.5 bg-gray-200 last:hidden" aria-hidden />
      <p className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</p>
      <div className="mt-0.5 text-sm text-gray-800">{children}</div>
    </li>
  );
}

function StepLine({ step, children }: { step: Step | undefined; children?: ReactNode }) {
  if (!step) return <span className="text-gray-500">no such step in this pipeline</span>;
  return (
    <span className="flex flex-wrap items-center gap-2">
      <span className="font-mono">{step.stepId}</span>
      <Badge size="xs" color={STEP_COLOR[step.status] ?? "gray"}>
        {step.status.toLowerCase()}
      </Badge>
      {children}
      {step.message ? <span className="text-xs text-gray-500">{step.message}</span> : null}
    </span>
  );
}

/** One retraining run: its link, then what its gate said and where its deploy step sent the new version. */
function RunLinks({ run, paths }: { run: ChainRun; paths: MonitorPaths }) {
  const trpc = useTRPC();
  const project = useProject();
  const detail = useQuery(trpc.pipeline.runGet.queryOptions({ projectId: project.id, runId: run.id }, { refetchInterval: (q) => (q.state.data && ["SUCCEEDED", "FAILED", "CANCELLED"].includes(q.state.data.status) ? false : POLL_MS) }));
  const steps = detail.data?.steps ?? [];
  const gate = steps.find((s) => s.kind === "gate");
  const deploy = steps.find((s) => s.kind === "deploy");
  const model = gate?.outputs?.modelName ?? steps.map((s) => s.outputs?.modelName).find(Boolean);
  const version = gate?.outputs?.modelVersion ?? steps.map((s) => s.outputs?.modelVersion).find((v) => v !== undefined);
  return (
    <>
      <ChainStep label="Retraining run">
        <span className="flex flex-wrap items-center gap-2">
          <Link href={paths.pipelineRun(run.pipeline, run.id)} className="font-medium text-blue-700 hover:underline" data-chain-run={run.number}>
            {run.pipeline} #{run.number}
          </Link>
          <Badge size="xs" color={RUN_COLOR[detail.data?.status ?? run.status] ?? "gray"}>
            {(detail.data?.status ?? run.status).toLowerCase()}
          </Badge>
        </span>
      </ChainStep>
      {detail.isPending ? (
        <li className="pl-6">
          <LoadingRows rows={1} label="Loading the run's steps" />
        </li>
      ) : detail.error ? (
        <li className="pl-6">
          <ErrorState error={detail.error} title="Could not load the run's steps" />
        </li>
      ) : (
        <>
          <ChainStep label="Gate report">
            <StepLine step={gate}>
              {gate?.outputs?.passed !== undefined ? (
                <Badge size="xs" color={gate.outputs.passed ? "emerald" : "rose"}>
                  {gate.outputs.passed ? "passed" : "not passed"}
                </Badge>
              ) : null}
              {model && version !== undefined ? (
                <Link href={paths.modelVersion(model, version)} className="text-blue-700 hover:underline">
                  {model} v{version}
                </Link>
              ) : null}
              {model && version !== undefined && gate?.outputs?.gateReportId ? (
                <Link href={`${paths.modelVersion(model, version)}?report=${encodeURIComponent(gate.outputs.gateReportId)}`} className="text-blue-700 hover:underline" data-chain-gate-report>
                  report
                </Link>
              ) : null}
            </StepLine>
          </ChainStep>
          <ChainStep label="Rollout">
            <StepLine step={deploy}>
              {deploy?.outputs?.deploymentName ? (
                <Link href={paths.deployment(deploy.outputs.deploymentName)} className="text-blue-700 hover:underline">
                  deployment {deploy.outputs.deploymentName}
                </Link>
              ) : null}
            </StepLine>
          </ChainStep>
        </>
      )}
    </>
  );
}

/** The closed loop of one incident on one page: report → alert → retraining run → gate → rollout. */
export function ChainPanel({ incidentId, deploymentName }: { incidentId: string; deploymentName: string }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const paths = monitorPaths(`/${org.slug}/${project.slug}`);
  const chain = useQuery(trpc.monitor.chain.queryOptions({ projectId: project.id, incidentId }, { refetchInterval: POLL_MS }));
  return (
    <Section title="Closed loop" description="What this incident set in motion, each step linked to its own page.">
      {chain.isPending ? (
        <LoadingRows rows={3} label="Loading the chain" />
      ) : chain.error ? (
        <ErrorState error={chain.error} onRetry={() => void chain.refetch()} title="Could not load this incident's chain" />
      ) : (
        <ol className="relative" aria-label="Chain" data-chain={chain.data.incidentId}>
          <ChainStep label="Report">
            <span className="flex flex-wrap items-center gap-2">
              {chain.data.report.kind} window ending <RelativeTime date={chain.data.report.windowEnd} /> <VerdictBadge verdict={chain.data.report.verdict} kind={chain.data.report.kind} />
            </span>
          </ChainStep>
          <ChainStep label={`Alert (rule ${chain.data.rule.name})`}>
            <span className="flex flex-wrap items-center gap-2">
              {chain.data.alert.title} <IncidentBadge status={chain.data.alert.status} /> fired <RelativeTime date={chain.data.alert.firstFiredAt} />
            </span>
          </ChainStep>
          {chain.data.runs.length === 0 ? (
            <ChainStep label="Retraining">
              <span className="text-gray-600">{chain.data.note ?? "This rule starts no retraining: it only alerts."}</span>
            </ChainStep>
          ) : (
            chain.data.runs.map((r) => <RunLinks key={r.id} run={r} paths={paths} />)
          )}
          <ChainStep label="Monitored deployment">
            <Link href={paths.deployment(deploymentName)} className="text-blue-700 hover:underline">
              {deploymentName}
            </Link>{" "}
            <span className="text-xs text-gray-500">(its ledger lists every rollout step)</span>
          </ChainStep>
        </ol>
      )}
    </Section>
  );
}
