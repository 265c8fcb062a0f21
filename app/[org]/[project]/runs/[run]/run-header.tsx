"use client";

import { Badge, Card } from "@tremor/react";
import Link from "next/link";
import type { ReactNode } from "react";
import { DateTime, RelativeTime } from "../../../../_components/relative-time";
import { formatDuration, runDuration } from "../_components/format";
import { RunStatusBadge } from "../_components/run-status-badge";
import type { RunDetail } from "../_components/types";
import { LIVE_MS } from "./live";
import { RegisterModel } from "./register-model";
import { RunActions } from "./run-actions";

export function RunHeader({ run, runsHref }: { run: RunDetail; runsHref: string }) {
  const duration = runDuration(run);
  return (
    <Card className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-xl font-semibold text-gray-900">{run.name}</h2>
        <span className="text-sm text-gray-400">#{run.number}</span>
        <RunStatusBadge status={run.status} />
        {run.status === "RUNNING" ? (
          <span className="flex items-center gap-1.5 text-xs text-blue-700" title={`Refreshing every ${LIVE_MS / 1000} s`}>
            <span className="h-2 w-2 animate-pulse rounded-full bg-blue-500" aria-hidden />
            live
          </span>
        ) : null}
        <div className="ml-auto flex items-center gap-2">
          <RegisterModel run={run} />
          <RunActions run={run} runsHref={runsHref} />
        </div>
      </div>
      <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <Item label="Experiment">
          <Link href={`${runsHref}?exp=${run.experimentId}`} className="text-blue-700 hover:underline">
            {run.experiment}
          </Link>
        </Item>
        <Item label="Created by">{run.createdBy}</Item>
        <Item label="Created">
          <RelativeTime date={run.createdAt} />
        </Item>
        <Item label="Duration">{duration === null ? "—" : formatDuration(duration)}</Item>
        <Item label="Started">{run.startedAt ? <DateTime date={run.startedAt} /> : "not started"}</Item>
        <Item label="Ended">{run.endedAt ? <DateTime date={run.endedAt} /> : "—"}</Item>
        <Item label="Code" wide>
          <CodeVersion code={run.code} />
        </Item>
      </dl>
    </Card>
  );
}

function Item({ label, wide, children }: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`min-w-0 ${wide ? "sm:col-span-2" : ""}`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</dt>
      <dd className="mt-0.5 truncate text-gray-900">{children}</dd>
    </div>
  );
}

function CodeVersion({ code }: { code: RunDetail["code"] }) {
  if (!code.repo && !code.commit) return <span className="text-gray-400">not recorded</span>;
  return (
    <span className="flex min-w-0 items-center gap-2" data-code>
      <span className="truncate font-mono text-xs" title={`${code.repo ?? ""}@${code.commit ?? ""}`}>
        {code.repo ?? "?"}@{code.commit ? code.commit.slice(0, 12) : "?"}
      </span>
      {code.dirty ? (
        <Badge size="xs" color="amber" title="The working tree had uncommitted changes when the run started">
          dirty
        </Badge>
      ) : null}
    </span>
  );
}
