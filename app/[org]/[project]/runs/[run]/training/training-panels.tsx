"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { ErrorState, LoadingRows } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";
import type { RunDetail } from "../../_components/types";
import { EvaluateForm } from "../evaluations/[report]/evaluate-form";
import { EvaluationsCard, evaluationPending } from "./evaluations-card";
import { LogViewer } from "./log-viewer";
import { isActive, StatusPanel } from "./status-panel";
import { refreshAfterWrite } from "../../../../../_lib/refresh";

/** A queued or running training run changes state within seconds; its page asks this often. */
const STATUS_POLL_MS = 1_000;
const EVALUATION_POLL_MS = 2_000;
/** How long after a run ended its page waits for the automatic evaluation report to be queued. */
const AWAIT_REPORT_MS = 10 * 60_000;

/** Called by the query's poll timer, never while rendering. */
function endedRecently(endedAt: number | null): boolean {
  return endedAt !== null && Date.now() - endedAt < AWAIT_REPORT_MS;
}

/**
 * What a run trained by Cairn adds to its page: status and progress, the live log and the
 * evaluation reports. Runs logged by a client (status.queue is null) only show evaluations, if any.
 */
export function TrainingPanels({ run }: { run: RunDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const project = useProject();
  const ref = useMemo(() => ({ projectId: project.id, runId: run.id }), [project.id, run.id]);
  const status = useQuery(trpc.training.status.queryOptions(ref, { refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? STATUS_POLL_MS : false) }));
  // The report of a finished run is queued by the worker after the run ends (an outbox event): until
  // it appears, a run that ended recently keeps looking for it, else a busy worker leaves the page
  // saying "No evaluations yet" for good.
  const finished = status.data?.status === "FINISHED";
  const endedAt = run.endedAt === null ? null : new Date(run.endedAt).getTime();
  const evaluations = useQuery(
    trpc.training.evaluations.queryOptions(ref, {
      refetchInterval: (q) => (q.state.data?.some((e) => evaluationPending(e.status)) || (finished && q.state.data?.length === 0 && endedRecently(endedAt)) ? EVALUATION_POLL_MS : false),
    }),
  );

  // The run header, metrics and artifacts come from run.get, which polls only while RUNNING: a
  // change of training state or of an evaluation (which logs test metrics) refreshes it at once.
  const current = status.data?.status;
  const evaluationState = evaluations.data?.map((e) => e.status).join(",");
  const previous = useRef<{ status?: string; evaluations?: string }>({});
  useEffect(() => {
    const before = previous.current;
    previous.current = { status: current, evaluations: evaluationState };
    const statusChanged = before.status !== undefined && before.status !== current;
    const evaluationsChanged = before.evaluations !== undefined && before.evaluations !== evaluationState;
    if (statusChanged || evaluationsChanged) void refreshAfterWrite(queryClient, trpc.run.get.queryKey(ref));
    if (statusChanged) void refreshAfterWrite(queryClient, trpc.training.evaluations.queryKey(ref));
  }, [current, evaluationState, queryClient, trpc, ref]);

  const reportHref = (id: string) => `/${org.slug}/${project.slug}/runs/${run.id}/evaluations/${id}`;

  if (status.isPending) return <LoadingRows rows={3} label="Loading training status" />;
  if (status.error) return <ErrorState error={status.error} onRetry={() => void status.refetch()} title="Could not load the training status" />;
  if (status.data.queue === null) {
    return evaluations.data && evaluations.data.length > 0 ? <EvaluationsCard reportHref={reportHref} query={evaluations} emptyText="" /> : null;
  }
  const active = isActive(status.data.status);
  return (
    <>
      <StatusPanel run={run} status={status.data} projectId={project.id} />
      <LogViewer projectId={project.id} runId={run.id} live={active} />
      <EvaluationsCard
        reportHref={reportHref}
        query={evaluations}
        emptyText={
          active
            ? "The model is evaluated on the test split when training finishes (if the run asked for it)."
            : status.data.status === "FINISHED"
              ? "No evaluations yet."
              : "A run without a model has nothing to evaluate."
        }
      >
        {status.data.status === "FINISHED" && can("MEMBER") ? (
          <details className="border-t border-gray-100 pt-3">
            <summary className="cursor-pointer text-sm font-medium text-gray-700">Evaluate on another version or split</summary>
            <div className="mt-3">
              <EvaluateForm runId={run.id} binary={run.params.trainer === "logistic" || run.params["gbdt.task"] === "binary"} />
            </div>
          </details>
        ) : null}
      </EvaluationsCard>
    </>
  );
}
