"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "@tremor/react";
import { useState } from "react";
import { RoleBadge } from "../../../../../../_components/badges";
import { Field } from "../../../../../../_components/field";
import { Textarea } from "../../../../../../_components/inputs";
import { useOrg, useProject } from "../../../../../../_components/org-context";
import { DateTime } from "../../../../../../_components/relative-time";
import { ErrorState, FormError, LoadingRows, Section } from "../../../../../../_components/states";
import { refreshAfterWrite } from "../../../../../../_lib/refresh";
import { useTRPC } from "../../../../../../_lib/trpc";
import { gateState } from "../../../_components/badges";
import type { VersionDetail } from "./types";

/**
 * Who approved or rejected this version, bound to which gate report; decisions that no longer count
 * (voided by a re-run gate with another outcome, or bound to older evidence) are struck through with
 * the reason. What still blocks promotion is listed.
 */
export function ApprovalsPanel({ version }: { version: VersionDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can, me } = useOrg();
  const project = useProject();
  const status = useQuery(
    trpc.promotion.status.queryOptions(
      { projectId: project.id, versionId: version.id },
      { refetchInterval: (q) => (["pending", "running"].includes(gateState(q.state.data?.gate)) ? 2_000 : false) },
    ),
  );
  const [comment, setComment] = useState("");
  const refresh = async () => {
    setComment("");
    await refreshAfterWrite(queryClient, trpc.promotion.pathKey());
  };
  const approve = useMutation(trpc.promotion.approve.mutationOptions({ onSuccess: refresh }));
  const reject = useMutation(trpc.promotion.reject.mutationOptions({ onSuccess: refresh }));

  if (status.isPending) return <LoadingRows rows={2} label="Loading approvals" />;
  if (status.error) return <ErrorState error={status.error} onRetry={() => void status.refetch()} title="Could not load approvals" />;
  const s = status.data;
  // One decision per person per gate report: a re-run report allows a new one.
  const mine = s.approvals.find((a) => a.user.id === me.id && a.gateReportId === s.gate?.reportId);
  const input = { projectId: project.id, versionId: version.id, comment };
  const pending = approve.isPending || reject.isPending;

  return (
    <Section
      title="Approvals"
      description={`${s.required} approval${s.required === 1 ? "" : "s"} required from ${s.minRole.toLowerCase()}s or above; the author of the run or version cannot approve it.`}
      actions={
        <span className={`text-sm font-medium tabular-nums ${s.approvedCount >= s.required ? "text-emerald-700" : "text-gray-700"}`} data-approval-count>
          {s.approvedCount}/{s.required} approved
        </span>
      }
    >
      {s.isChampion ? (
        <p className="text-sm text-emerald-700">This version is the champion.</p>
      ) : s.blockers.length > 0 ? (
        <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm">
          <p className="font-medium text-amber-800">Promotion blocked</p>
          <ul className="mt-1 list-inside list-disc text-amber-800" aria-label="Blockers">
            {s.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="text-sm text-emerald-700" data-ready>
          Ready to promote: the gate passed and the approvals are complete.
        </p>
      )}
      {s.approvals.length === 0 ? (
        <p className="text-sm text-gray-500">No decisions yet.</p>
      ) : (
        <ul aria-label="Decisions" className="divide-y divide-gray-100">
          {s.approvals.map((a) => (
            <li key={a.id} className="py-2 text-sm" data-decision={a.decision} data-valid={a.valid}>
              <div className={`flex flex-wrap items-center gap-2 ${a.valid ? "" : "text-gray-400 line-through"}`}>
                <Badge size="xs" color={a.decision === "APPROVE" ? "emerald" : "rose"}>
                  {a.decision === "APPROVE" ? "approved" : "rejected"}
                </Badge>
                <span className="font-medium">{a.user.name}</span>
                <RoleBadge role={a.role} />
                <span className="text-xs">
                  <DateTime date={a.createdAt} />
                </span>
              </div>
              {a.comment ? <p className={`mt-0.5 text-gray-600 ${a.valid ? "" : "text-gray-400 line-through"}`}>“{a.comment}”</p> : null}
              {!a.valid ? (
                <p className="mt-0.5 text-xs text-amber-700" data-void-reason>
                  Does not count: {a.voidReason ?? a.invalidReason ?? "bound to other evidence"}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {can(s.minRole) && !s.isChampion && s.gate?.status === "DONE" ? (
        mine ? (
          <p className="border-t border-gray-100 pt-3 text-xs text-gray-500">
            You {mine.decision === "APPROVE" ? "approved" : "rejected"} this gate report; a re-run gate report allows a new decision.
          </p>
        ) : (
        <div className="space-y-2 border-t border-gray-100 pt-3">
          <Field label="Comment" htmlFor="approval-comment">
            <Textarea id="approval-comment" value={comment} onValueChange={setComment} rows={2} />
          </Field>
          <FormError error={approve.error ?? reject.error} />
          <div className="flex gap-2">
            {s.gate.passed ? (
              <Button size="xs" color="emerald" loading={approve.isPending} disabled={pending} onClick={() => approve.mutate(input)}>
                Approve
              </Button>
            ) : null}
            <Button size="xs" variant="secondary" color="rose" loading={reject.isPending} disabled={pending} onClick={() => reject.mutate(input)}>
              Reject
            </Button>
          </div>
        </div>
        )
      ) : null}
    </Section>
  );
}
