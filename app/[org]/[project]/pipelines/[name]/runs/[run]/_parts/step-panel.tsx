"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "@tremor/react";
import Link from "next/link";
import type { PipelineRunDto, StepRunDto } from "@/server/pipelines/schemas";
import { TERMINAL_RUN_STATUSES } from "@/server/pipelines/schemas";
import { useOrg, useProject } from "../../../../../../../_components/org-context";
import { DateTime } from "../../../../../../../_components/relative-time";
import { FormError, Section } from "../../../../../../../_components/states";
import { refreshAfterWrite } from "../../../../../../../_lib/refresh";
import { useTRPC } from "../../../../../../../_lib/trpc";
import { StepBadge } from "../../../../_components/badges";
import { pipelinePaths } from "../../../../_components/paths";
import { stepLinks } from "../../../../_components/step-links";
import { elapsed, formatDuration } from "../../../../_components/words";

/** Only a failed or cancelled step of a finished run can be retried; the steps before it keep their outputs. */
export const retryable = (run: PipelineRunDto, step: StepRunDto) => TERMINAL_RUN_STATUSES.includes(run.status) && (step.status === "FAILED" || step.status === "CANCELLED");

/** The selected step: state, times, message, log, what it produced, and Retry where allowed. */
export function StepPanel({ run, step, now }: { run: PipelineRunDto; step: StepRunDto; now: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const project = useProject();
  const projectBase = `/${org.slug}/${project.slug}`;
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId: project.id, includeArchived: true }, { enabled: !!step.outputs?.datasetVersionId }));
  const checked = useQuery(trpc.dataset.version.queryOptions({ projectId: project.id, versionId: step.outputs?.datasetVersionId ?? "" }, { enabled: !!step.outputs?.datasetVersionId }));
  const slug = (versionId: string) => {
    const v = checked.data;
    return v?.id === versionId ? datasets.data?.find((d) => d.id === v.datasetId)?.slug : undefined;
  };
  const links = stepLinks(step, run.steps, projectBase, slug);
  const retry = useMutation(trpc.pipeline.retryStep.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.pipeline.pathKey()) }));
  const ms = elapsed(step.startedAt, step.finishedAt, now);

  return (
    <Section
      title={`Step ${step.stepId}`}
      description={`${step.kind} · ${step.resources.toUpperCase()}${step.timeoutSeconds ? ` · timeout ${formatDuration(step.timeoutSeconds * 1000)}` : ""}${step.condition ? ` · if ${step.condition}` : ""}`}
      actions={
        can("MEMBER") && retryable(run, step) ? (
          <Button size="xs" loading={retry.isPending} onClick={() => retry.mutate({ projectId: project.id, runId: run.id, stepId: step.stepId })}>
            Retry step
          </Button>
        ) : null
      }
    >
      <div className="flex flex-wrap items-center gap-3 text-sm text-gray-600" data-selected-step={step.stepId}>
        <StepBadge status={step.status} />
        {step.attempt > 1 ? <span>attempt {step.attempt}</span> : null}
        {step.cachedFrom ? (
          <Link href={pipelinePaths(projectBase).run(run.pipelineName, step.cachedFrom.runId)} data-cached-from={step.cachedFrom.number}>
            <Badge size="xs" color="teal">
              cached from run #{step.cachedFrom.number}
            </Badge>
          </Link>
        ) : null}
        {step.startedAt ? (
          <span>
            started <DateTime date={step.startedAt} />
          </span>
        ) : null}
        {ms !== null ? <span>{step.finishedAt ? `took ${formatDuration(ms)}` : `running for ${formatDuration(ms)}`}</span> : null}
        {step.needs.length ? <span>after {step.needs.join(", ")}</span> : null}
      </div>
      <FormError error={retry.error} />
      {step.message ? (
        <p className={`rounded-md px-3 py-2 text-sm ${step.status === "FAILED" ? "bg-rose-50 text-rose-800" : "bg-gray-50 text-gray-700"}`} data-step-message>
          {step.message}
        </p>
      ) : null}
      {links.length ? (
        <ul aria-label="Produced" className="flex flex-wrap gap-2">
          {links.map((l) => (
            <li key={l.href + l.label}>
              <Link href={l.href} className="inline-block rounded-md border border-blue-200 bg-blue-50 px-2.5 py-1 text-sm text-blue-800 hover:bg-blue-100">
                {l.label} →
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      <div>
        <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-gray-500">Log</h3>
        {step.log.length ? (
          <pre aria-label="Step log" className="max-h-80 overflow-auto rounded-md bg-gray-900 p-3 font-mono text-xs leading-5 text-gray-100">
            {step.log.join("\n")}
          </pre>
        ) : (
          <p className="text-sm text-gray-500">{step.status === "PENDING" ? "Not started yet." : "No log lines."}</p>
        )}
      </div>
    </Section>
  );
}
