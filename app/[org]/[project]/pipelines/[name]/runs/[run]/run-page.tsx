"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { TERMINAL_RUN_STATUSES, type PipelineRunDto } from "@/server/pipelines/schemas";
import { Breadcrumbs } from "../../../../../../_components/breadcrumbs";
import { ConfirmButton } from "../../../../../../_components/confirm-button";
import { useOrg, useProject } from "../../../../../../_components/org-context";
import { DateTime } from "../../../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../../../_components/states";
import { refreshAfterWrite } from "../../../../../../_lib/refresh";
import { useTRPC } from "../../../../../../_lib/trpc";
import { PipelineRunBadge, TriggerBadge } from "../../../_components/badges";
import { pipelinePaths } from "../../../_components/paths";
import { elapsed, formatDuration } from "../../../_components/words";
import { DagView } from "./_parts/dag-view";
import { StepPanel } from "./_parts/step-panel";
import { TimingsChart } from "./_parts/timings-chart";

/** A run in flight is asked about again this often (steps change state within seconds). */
const LIVE_POLL_MS = 1_500;
const finished = (r: PipelineRunDto | undefined) => !!r && TERMINAL_RUN_STATUSES.includes(r.status);

/** The step to show first: a failed one, else a running one, else the last that started. */
function focusStep(run: PipelineRunDto): string | null {
  const pick = run.steps.find((s) => s.status === "FAILED") ?? run.steps.find((s) => s.status === "RUNNING") ?? [...run.steps].reverse().find((s) => s.startedAt) ?? run.steps[0];
  return pick?.stepId ?? null;
}

export function PipelineRunPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const project = useProject();
  const paths = pipelinePaths(`/${org.slug}/${project.slug}`);
  const query = useQuery(trpc.pipeline.runGet.queryOptions({ projectId: project.id, runId }, { refetchInterval: (q) => (finished(q.state.data) ? false : LIVE_POLL_MS) }));
  const cancel = useMutation(trpc.pipeline.cancelRun.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.pipeline.pathKey()) }));
  const [picked, setPicked] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const live = !!query.data && !finished(query.data);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [live]);

  if (query.isPending) return <LoadingRows rows={6} label="Loading pipeline run" />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} title="Could not load this pipeline run" />;
  const run = query.data;
  const selected = run.steps.find((s) => s.stepId === picked) ?? run.steps.find((s) => s.stepId === focusStep(run));
  const ms = elapsed(run.startedAt, run.finishedAt, now);
  const params = Object.entries(run.params);

  return (
    <div className="space-y-6" data-pipeline-run={run.number} data-run-state={run.status}>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <Breadcrumbs items={[{ label: "Pipelines", href: paths.base }, { label: run.pipelineName, href: paths.pipeline(run.pipelineName), mono: true }, { label: `run #${run.number}` }]} />
          <h2 className="mt-1 flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-gray-900">
            {run.pipelineName} #{run.number}
            <PipelineRunBadge status={run.status} />
            <TriggerBadge trigger={run.trigger} />
          </h2>
          <p className="mt-1 text-sm text-gray-500">
            revision r{run.revisionNumber} · queued <DateTime date={run.createdAt} />
            {ms !== null ? ` · ${run.finishedAt ? "took" : "running for"} ${formatDuration(ms)}` : ""}
            {live ? ` · live, refreshed every ${LIVE_POLL_MS / 1000} s` : ""}
          </p>
          {params.length ? (
            <ul aria-label="Params" className="mt-2 flex flex-wrap gap-1.5">
              {params.map(([k, v]) => (
                <li key={k} className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs text-gray-700">
                  {k}={JSON.stringify(v)}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {live && can("MEMBER") ? (
          <ConfirmButton label="Cancel run" title={`Cancel ${run.pipelineName} #${run.number}?`} onConfirm={() => cancel.mutateAsync({ projectId: project.id, runId: run.id })}>
            The running step is stopped and the steps after it do not start. A cancelled step can be retried later.
          </ConfirmButton>
        ) : null}
      </div>
      {run.error ? (
        <p role="alert" className={`rounded-md border px-3 py-2 text-sm ${run.status === "FAILED" ? "border-rose-200 bg-rose-50 text-rose-800" : "border-amber-200 bg-amber-50 text-amber-800"}`}>
          {run.error}
        </p>
      ) : null}

      <Section title="Steps" description="Each step after the ones it needs; pick one to see its log and what it produced.">
        <DagView steps={run.steps} selected={selected?.stepId ?? null} onSelect={setPicked} now={now} />
      </Section>
      {selected ? <StepPanel key={selected.stepId} run={run} step={selected} now={now} /> : null}
      <Section title="Timings" description="How long each step took (a running one so far).">
        <TimingsChart steps={run.steps} now={now} />
      </Section>
    </div>
  );
}
