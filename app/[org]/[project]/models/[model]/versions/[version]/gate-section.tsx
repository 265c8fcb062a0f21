"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { useOrg, useProject } from "../../../../../../_components/org-context";
import { DateTime } from "../../../../../../_components/relative-time";
import { EmptyState, ErrorState, FormError, LoadingRows, Section } from "../../../../../../_components/states";
import { formatCount } from "../../../../../../_lib/format";
import { refreshAfterWrite } from "../../../../../../_lib/refresh";
import { useTRPC, type RouterOutputs } from "../../../../../../_lib/trpc";
import { GateBadge, gateState } from "../../../_components/badges";
import { useModel } from "../../../_components/model-context";
import { CheckCard } from "./check-views";
import type { VersionDetail } from "./types";

type ReportRow = RouterOutputs["gate"]["reports"][number];

/** A gate report being evaluated is asked about again this often. */
const POLL_MS = 1_500;
const inFlight = (r: { status: string } | undefined) => r?.status === "PENDING" || r?.status === "RUNNING";

/**
 * The version's gate reports under the model's policy: the newest (or a picked older one) in full,
 * every check with its numbers and charts, and "Re-run gate" with progress while it evaluates.
 */
export function GateSection({ version, report = null }: { version: VersionDetail; report?: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const project = useProject();
  const model = useModel();
  const [picked, setPicked] = useState<string | null>(report);
  const reports = useQuery(
    trpc.gate.reports.queryOptions({ projectId: project.id, versionId: version.id }, { refetchInterval: (q) => (inFlight(q.state.data?.[0]) ? POLL_MS : false) }),
  );
  const run = useMutation(
    trpc.gate.run.mutationOptions({
      onSuccess: async () => {
        setPicked(null);
        await Promise.all([refreshAfterWrite(queryClient, trpc.gate.pathKey()), refreshAfterWrite(queryClient, trpc.promotion.pathKey())]);
      },
    }),
  );
  const list = reports.data ?? [];
  const shown = list.find((r) => r.id === picked) ?? list[0];
  const running = inFlight(list[0]);

  const rerun = can("MEMBER") ? (
    <Button size="xs" variant="secondary" loading={run.isPending} disabled={running || !!version.archivedAt} onClick={() => run.mutate({ projectId: project.id, versionId: version.id })}>
      {list.length ? "Re-run gate" : "Run gate"}
    </Button>
  ) : null;

  return (
    <Section title="Gate report" description="Every check the model's gate policy requires, with its evidence." actions={rerun}>
      <FormError error={run.error} />
      {reports.isPending ? (
        <LoadingRows rows={3} label="Loading gate reports" />
      ) : reports.error ? (
        <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />
      ) : !shown ? (
        <EmptyState title="Not gated yet">
          The gate runs when a version is registered under a saved policy. Save one on the{" "}
          <Link href={model.paths.policy} className="text-blue-700 hover:underline">
            Gate policy
          </Link>{" "}
          tab, then run the gate here.
        </EmptyState>
      ) : (
        <>
          {running ? (
            <div role="status" aria-label="Gate running" className="flex items-center gap-2 rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-800" data-gate-progress={list[0]!.status}>
              <span aria-hidden className="h-2 w-2 animate-pulse rounded-full bg-blue-500" />
              {list[0]!.status === "PENDING" ? "Waiting for a worker to evaluate the gate…" : "Evaluating: scoring both versions on the same rows and resampling…"}
            </div>
          ) : null}
          {list.length > 1 ? <ReportPicker reports={list} shown={shown.id} onPick={setPicked} /> : null}
          <ReportView key={shown.id} row={shown} />
        </>
      )}
    </Section>
  );
}

function ReportPicker({ reports, shown, onPick }: { reports: ReportRow[]; shown: string; onPick: (id: string) => void }) {
  return (
    <ol aria-label="Gate reports" className="flex flex-wrap gap-1.5">
      {reports.map((r, i) => (
        <li key={r.id}>
          <button
            type="button"
            onClick={() => onPick(r.id)}
            aria-current={r.id === shown ? "true" : undefined}
            className={`rounded-md border px-2 py-1 text-xs ${r.id === shown ? "border-blue-300 bg-blue-50 text-blue-800" : "border-gray-200 text-gray-600 hover:bg-gray-50"}`}
          >
            {i === 0 ? "latest" : `#${reports.length - i}`} · policy r{r.policyRevision} · {gateState(r).replace("passed", "pass").replace("failed", "fail")}
          </button>
        </li>
      ))}
    </ol>
  );
}

function ReportView({ row }: { row: ReportRow }) {
  const trpc = useTRPC();
  const project = useProject();
  const model = useModel();
  const full = useQuery(trpc.gate.report.queryOptions({ projectId: project.id, reportId: row.id }, { enabled: !inFlight(row) }));
  const state = gateState(row);

  return (
    <div className="space-y-4" data-gate-report={state}>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <GateBadge state={state} />
        <span className="text-gray-600">
          policy revision {row.policyRevision}
          {full.data?.report?.champion ? (
            <>
              {" "}
              · against champion{" "}
              <Link href={model.paths.version(full.data.report.champion.number)} className="font-medium text-gray-900 hover:underline">
                v{full.data.report.champion.number}
              </Link>
            </>
          ) : full.data?.report ? (
            " · no champion to compare with"
          ) : null}
        </span>
        {full.data?.report ? (
          <span className="text-gray-500">
            on {full.data.report.rows.dataset} v{full.data.report.rows.number} · {full.data.report.rows.split} split · {formatCount(full.data.report.rows.count)} rows
          </span>
        ) : null}
        <span className="text-xs text-gray-400">
          {row.completedAt ? (
            <>
              completed <DateTime date={row.completedAt} />
            </>
          ) : (
            <>
              requested <DateTime date={row.createdAt} />
            </>
          )}
        </span>
      </div>
      {row.status === "FAILED" ? (
        <p role="alert" className="rounded-md border border-orange-200 bg-orange-50 px-3 py-2 text-sm text-orange-800">
          The evaluation failed: {row.error ?? "no message"}. Re-run the gate once the cause is fixed.
        </p>
      ) : inFlight(row) ? null : full.isPending ? (
        <LoadingRows rows={4} label="Loading gate report" />
      ) : full.error ? (
        <ErrorState error={full.error} onRetry={() => void full.refetch()} />
      ) : full.data.report ? (
        <div className="space-y-3" aria-label="Checks">
          {full.data.report.checks.map((c) => (
            <CheckCard key={c.name} check={c} />
          ))}
        </div>
      ) : (
        <Badge color="gray">no report body</Badge>
      )}
    </div>
  );
}
