"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "@tremor/react";
import { useRouter } from "next/navigation";
import { TERMINAL_RUN_STATUSES, type PipelineDetailDto } from "@/server/pipelines/schemas";
import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import { ConfirmButton } from "../../../../_components/confirm-button";
import { useOrg, useProject } from "../../../../_components/org-context";
import { RelativeTime } from "../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../_components/states";
import { refreshAfterWrite } from "../../../../_lib/refresh";
import { useTRPC } from "../../../../_lib/trpc";
import { pipelinePaths } from "../_components/paths";
import { formatUtc, triggerWords } from "../_components/words";
import { DefinitionPanel } from "./_parts/definition-panel";
import { RunButton } from "./_parts/run-button";
import { RunsTable } from "./_parts/runs-table";
import { WebhookPanel } from "./_parts/webhook-panel";

/** Runs in flight are asked about again this often. */
const POLL_MS = 2_000;

function TriggersPanel({ p }: { p: PipelineDetailDto }) {
  const cron = p.triggers.find((t) => t.kind === "cron");
  return (
    <Section
      title="Triggers and limits"
      description={
        <>
          Besides these, a member starts a run by hand here, and CI through the API or <code className="font-mono text-xs">cairn pipeline run --wait</code>.
        </>
      }
    >
      <dl className="grid gap-4 text-sm sm:grid-cols-3">
        <div className="sm:col-span-2">
          <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">Triggers</dt>
          <dd className="mt-1">
            {p.triggers.length === 0 ? (
              <span className="text-gray-500">none: by hand or API only</span>
            ) : (
              <ul className="space-y-0.5" aria-label="Triggers">
                {p.triggers.map((t, i) => (
                  <li key={i}>{triggerWords(t)}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">Concurrency</dt>
          <dd className="mt-1" data-concurrency={p.concurrency}>
            {p.concurrency === "queue" ? "queue: a new run waits for the running one" : "cancel-previous: a new run cancels the running one"}
          </dd>
          <dt className="mt-3 text-xs font-medium uppercase tracking-wide text-gray-500">Budget</dt>
          <dd className="mt-1" data-budget={p.maxRunsPerDay ?? "none"}>
            {p.maxRunsPerDay === null ? "no daily limit" : `at most ${p.maxRunsPerDay} run${p.maxRunsPerDay === 1 ? "" : "s"} a day (UTC)`}
          </dd>
        </div>
      </dl>
      {cron ? (
        <div>
          <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">
            Schedule <code className="ml-1 font-mono normal-case text-gray-700">{cron.detail}</code> (UTC)
            {p.nextCronAt ? (
              <span className="ml-2 normal-case text-gray-500">
                next <RelativeTime date={p.nextCronAt} />
              </span>
            ) : null}
          </h3>
          <ol aria-label="Next cron runs" className="mt-1 flex flex-wrap gap-2">
            {p.nextCronRuns.slice(0, 5).map((t) => (
              <li key={t} className="rounded bg-gray-50 px-2 py-1 font-mono text-xs text-gray-700">
                {formatUtc(t)}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </Section>
  );
}

export function PipelinePage({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const project = useProject();
  const paths = pipelinePaths(`/${org.slug}/${project.slug}`);
  const ref = { projectId: project.id, pipelineId };
  const pipeline = useQuery(trpc.pipeline.get.queryOptions(ref));
  const runs = useQuery(
    trpc.pipeline.runs.queryOptions({ ...ref, limit: 50 }, { refetchInterval: (q) => (q.state.data?.some((r) => !TERMINAL_RUN_STATUSES.includes(r.status)) ? POLL_MS : false) }),
  );
  const archive = useMutation(
    trpc.pipeline.archive.mutationOptions({
      onSuccess: async () => {
        await refreshAfterWrite(queryClient, trpc.pipeline.pathKey());
        router.push(paths.base);
      },
    }),
  );

  if (pipeline.isPending) return <LoadingRows rows={6} label="Loading pipeline" />;
  if (pipeline.error) return <ErrorState error={pipeline.error} onRetry={() => void pipeline.refetch()} title="Could not load this pipeline" />;
  const p = pipeline.data;
  const member = can("MEMBER");

  return (
    <div className="space-y-6" data-pipeline-page={p.name}>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <Breadcrumbs items={[{ label: "Pipelines", href: paths.base }, { label: p.name, mono: true }]} />
          <h2 className="mt-1 flex items-center gap-2 text-xl font-semibold tracking-tight text-gray-900">
            {p.name}
            {p.archivedAt ? (
              <Badge size="xs" color="gray" data-archived>
                archived
              </Badge>
            ) : null}
          </h2>
          {p.description ? <p className="mt-1 text-sm text-gray-500">{p.description}</p> : null}
        </div>
        {member && !p.archivedAt ? (
          <div className="flex items-center gap-2">
            <RunButton projectId={project.id} pipelineId={p.id} yaml={p.yaml} onStarted={(runId) => paths.run(p.name, runId)} />
            <Button size="xs" variant="secondary" onClick={() => router.push(paths.edit(p.name))}>
              Edit YAML
            </Button>
            <ConfirmButton label="Archive" title={`Archive ${p.name}?`} onConfirm={() => archive.mutateAsync(ref)}>
              Its triggers stop starting runs and it leaves the list; its runs and revisions are kept.
            </ConfirmButton>
          </div>
        ) : null}
      </div>

      <Section title="Runs" description="Newest first; a run in flight updates by itself.">
        {runs.isPending ? (
          <LoadingRows rows={3} label="Loading runs" />
        ) : runs.error ? (
          <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />
        ) : (
          <RunsTable runs={runs.data} href={(id) => paths.run(p.name, id)} />
        )}
      </Section>

      <TriggersPanel p={p} />
      <DefinitionPanel pipeline={p} />
      {can("ADMIN") ? <WebhookPanel projectId={project.id} pipelineId={p.id} /> : null}
    </div>
  );
}
