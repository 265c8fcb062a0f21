"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Callout, ProgressBar } from "@tremor/react";
import Link from "next/link";
import type { ReactNode } from "react";
import type { RunStatus } from "@/server/runs/schemas";
import { ConfirmButton } from "../../../../../_components/confirm-button";
import { useOrg } from "../../../../../_components/org-context";
import { DateTime } from "../../../../../_components/relative-time";
import { Section } from "../../../../../_components/states";
import { formatPercent } from "../../../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { RUN_STATUS_LABEL, RunStatusBadge } from "../../_components/run-status-badge";
import type { RunDetail } from "../../_components/types";
import { refreshAfterWrite } from "../../../../../_lib/refresh";

export type TrainingStatus = RouterOutputs["training"]["status"];

export const isActive = (status: string) => status === "QUEUED" || status === "RUNNING";

/** The worker appends the log tail to a failure message after this marker (server/training/job.ts). */
const TAIL_MARKER = "--- last lines of the log ---";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</dt>
      <dd className="mt-0.5 truncate text-sm text-gray-900">{children}</dd>
    </div>
  );
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Queued → started → ended, with the times the run recorded. */
function Timeline({ run, status }: { run: RunDetail; status: string }) {
  const ended = ["FINISHED", "FAILED", "KILLED"].includes(status);
  const steps = [
    { key: "queued", label: "Queued", at: run.createdAt, done: true },
    { key: "started", label: "Running", at: run.startedAt, done: status !== "QUEUED" && run.startedAt !== null },
    { key: "ended", label: ended ? capitalised(RUN_STATUS_LABEL[status as RunStatus]) : "Finished", at: run.endedAt, done: ended },
  ];
  return (
    <ol className="flex flex-wrap items-center gap-2 text-xs" aria-label="Run timeline">
      {steps.map((s, i) => (
        <li key={s.key} className="flex items-center gap-2" data-step={s.key} data-done={s.done}>
          {i > 0 ? <span className={`h-px w-6 ${s.done ? "bg-blue-400" : "bg-gray-200"}`} aria-hidden /> : null}
          <span className={`rounded-full px-2 py-0.5 ${s.done ? (s.key === "ended" && status !== "FINISHED" ? "bg-rose-50 text-rose-700" : "bg-blue-50 text-blue-700") : "bg-gray-100 text-gray-400"}`}>
            {s.label}
            {s.done && s.at ? (
              <span className="ml-1 text-gray-500">
                <DateTime date={s.at} />
              </span>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

const WAITING = {
  "gpu-worker": ["Waiting for a GPU worker", "No online worker serves the GPU queue. The run starts as soon as a worker with a GPU comes up (start one on a GPU host); until then you can cancel it."],
  worker: ["Waiting for a worker", "No online worker serves this run's queue. It starts as soon as a worker comes up."],
  "org-worker": [
    "Waiting for a worker of your organisation's pool",
    "The installation's shared workers do not run this organisation's training commands. The run starts when a worker started with one of the organisation's worker tokens comes up (or an installation admin allows the shared workers).",
  ],
} as const;

function WaitingNotice({ status, workersHref }: { status: TrainingStatus; workersHref: string }) {
  if (!status.waitingFor) return null;
  const [title, body] = WAITING[status.waitingFor];
  return (
    <Callout title={title} color="amber" role="status" data-waiting={status.waitingFor}>
      {body}{" "}
      <Link href={workersHref} className="underline">
        See workers
      </Link>
      {status.queue ? <span className="ml-1 font-mono text-xs">({status.queue})</span> : null}
    </Callout>
  );
}

function FailureNotice({ error, status }: { error: string; status: string }) {
  const at = error.indexOf(TAIL_MARKER);
  const message = at >= 0 ? error.slice(0, at).trim() : error;
  const tail = at >= 0 ? error.slice(at + TAIL_MARKER.length).trim() : "";
  return (
    <Callout title={status === "KILLED" ? "Cancelled" : "Training failed"} color={status === "KILLED" ? "amber" : "rose"} role={status === "KILLED" ? "status" : "alert"} data-run-error>
      <span className="block whitespace-pre-wrap font-medium">{message}</span>
      {tail ? (
        <>
          <span className="mt-3 block text-xs font-medium uppercase tracking-wide">Last lines of the log</span>
          <pre className="mt-1 max-h-60 overflow-auto whitespace-pre-wrap rounded bg-white/70 p-2 font-mono text-xs text-gray-800" data-error-tail>
            {tail}
          </pre>
        </>
      ) : null}
    </Callout>
  );
}

/** Status, progress, attempt and host of a run that Cairn trains, with cancel while it is queued or running. */
export function StatusPanel({ run, status, projectId }: { run: RunDetail; status: TrainingStatus; projectId: string }) {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const queryClient = useQueryClient();
  const cancel = useMutation(
    trpc.training.cancel.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.training.status.queryKey({ projectId, runId: run.id })) }),
  );
  const active = isActive(status.status);
  const progress = status.status === "FINISHED" ? 1 : (status.progress ?? 0);

  return (
    <Section
      title="Training"
      description={`Trained by a Cairn worker on the ${status.queue ?? "train"} queue.`}
      actions={
        active ? (
          <ConfirmButton
            label={status.cancelRequested ? "Cancelling…" : "Cancel run"}
            title="Cancel this run?"
            confirmLabel="Cancel run"
            disabled={!can("MEMBER") || status.cancelRequested}
            onConfirm={() => cancel.mutateAsync({ projectId, runId: run.id })}
          >
            {status.status === "QUEUED" ? "The queued job is removed and the run is marked cancelled." : "The worker stops the trainer (the whole process group of a command) and marks the run cancelled."}
          </ConfirmButton>
        ) : null
      }
    >
      <div className="flex flex-wrap items-center gap-3" data-training-status={status.status}>
        <RunStatusBadge status={status.status as RunStatus} />
        <Timeline run={run} status={status.status} />
      </div>
      <div>
        <div className="mb-1 flex justify-between text-xs text-gray-500">
          <span>Progress</span>
          <span data-progress>{formatPercent(progress, 0)}</span>
        </div>
        <ProgressBar value={progress * 100} color={status.status === "FAILED" ? "rose" : status.status === "KILLED" ? "amber" : "blue"} showAnimation={false} aria-label="Training progress" />
      </div>
      <dl className="grid gap-x-8 gap-y-3 sm:grid-cols-3">
        <Fact label="Attempt">{status.attempt === 0 ? "not started" : status.attempt}</Fact>
        <Fact label="Host">{status.hostname ?? "—"}</Fact>
        <Fact label="Queue">
          <span className="font-mono text-xs">{status.queue ?? "—"}</span>
        </Fact>
      </dl>
      <WaitingNotice status={status} workersHref={`/${org.slug}/workers`} />
      {status.error && !active ? <FailureNotice error={status.error} status={status.status} /> : null}
    </Section>
  );
}
