import { Badge } from "@tremor/react";
import type { PipelineRunStatus, StepStatus, TriggerKind } from "@/server/pipelines/schemas";

type Color = "emerald" | "amber" | "gray" | "rose" | "blue" | "teal" | "slate" | "violet";

const RUN: Record<PipelineRunStatus, { word: string; color: Color }> = {
  QUEUED: { word: "queued", color: "gray" },
  RUNNING: { word: "running", color: "blue" },
  SUCCEEDED: { word: "succeeded", color: "emerald" },
  FAILED: { word: "failed", color: "rose" },
  CANCELLED: { word: "cancelled", color: "amber" },
};

export function PipelineRunBadge({ status }: { status: PipelineRunStatus }) {
  return (
    <Badge size="xs" color={RUN[status].color} data-run-status={status}>
      {RUN[status].word}
    </Badge>
  );
}

/** Step colours, shared by the badge and the DAG boxes so a state reads the same everywhere. */
export const STEP_STYLE: Record<StepStatus, { word: string; color: Color; box: string }> = {
  PENDING: { word: "pending", color: "gray", box: "border-gray-300 bg-gray-50 text-gray-600" },
  RUNNING: { word: "running", color: "blue", box: "border-blue-400 bg-blue-50 text-blue-800" },
  SUCCEEDED: { word: "succeeded", color: "emerald", box: "border-emerald-400 bg-emerald-50 text-emerald-800" },
  CACHED: { word: "cached", color: "teal", box: "border-teal-400 bg-teal-50 text-teal-800" },
  SKIPPED: { word: "skipped", color: "slate", box: "border-dashed border-slate-300 bg-white text-slate-500" },
  FAILED: { word: "failed", color: "rose", box: "border-rose-400 bg-rose-50 text-rose-800" },
  CANCELLED: { word: "cancelled", color: "amber", box: "border-amber-400 bg-amber-50 text-amber-800" },
};

export function StepBadge({ status }: { status: StepStatus }) {
  return (
    <Badge size="xs" color={STEP_STYLE[status].color} data-step-status={status}>
      {STEP_STYLE[status].word}
    </Badge>
  );
}

const TRIGGER: Record<TriggerKind, string> = { manual: "by hand", api: "API", dataset: "new data", push: "git push", cron: "schedule", monitor: "monitor alert" };

export function TriggerBadge({ trigger }: { trigger: TriggerKind }) {
  return (
    <Badge size="xs" color="slate" data-trigger={trigger}>
      {TRIGGER[trigger]}
    </Badge>
  );
}
