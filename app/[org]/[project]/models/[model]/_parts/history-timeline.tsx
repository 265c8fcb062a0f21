"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@tremor/react";
import Link from "next/link";
import { useProject } from "../../../../../_components/org-context";
import { DateTime } from "../../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";
import { AliasBadge } from "../../_components/badges";
import { useModel } from "../../_components/model-context";

const KIND = {
  set: { word: "set", color: "gray", dot: "bg-gray-400" },
  remove: { word: "removed", color: "gray", dot: "bg-gray-300" },
  promote: { word: "promoted", color: "emerald", dot: "bg-emerald-500" },
  override: { word: "override", color: "amber", dot: "bg-amber-500" },
  rollback: { word: "rollback", color: "rose", dot: "bg-rose-500" },
} as const;

/** Every move of every alias, newest first; promotions, rollbacks and owner overrides stand out. */
export function HistoryTimeline() {
  const trpc = useTRPC();
  const project = useProject();
  const model = useModel();
  const history = useQuery(trpc.model.history.queryOptions({ projectId: project.id, modelId: model.id }));
  const label = (v: { number: number | null } | null) => (v?.number != null ? `v${v.number}` : "—");

  return (
    <Section title="History" description="Alias moves, kept forever. Rollback walks this back.">
      {history.isPending ? (
        <LoadingRows rows={3} label="Loading history" />
      ) : history.error ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <p className="text-sm text-gray-500">Nothing has moved yet.</p>
      ) : (
        <ol aria-label="History" className="relative space-y-4 border-l border-gray-200 pl-5">
          {history.data.map((e) => {
            const kind = KIND[e.kind as keyof typeof KIND] ?? KIND.set;
            return (
              <li key={e.id} className="relative text-sm" data-history={e.kind}>
                <span aria-hidden className={`absolute -left-[1.6rem] top-1 h-2.5 w-2.5 rounded-full ring-4 ring-white ${kind.dot}`} />
                <div className="flex flex-wrap items-center gap-2">
                  <Badge size="xs" color={kind.color}>
                    {kind.word}
                  </Badge>
                  <AliasBadge name={e.alias} />
                  <span className="text-gray-700">
                    {label(e.from)} → {e.to?.number != null ? <Link href={model.paths.version(e.to.number)} className="font-medium hover:underline">v{e.to.number}</Link> : "—"}
                  </span>
                </div>
                <p className="mt-0.5 text-xs text-gray-500">
                  {e.actor?.label ?? "system"} · <DateTime date={e.createdAt} />
                </p>
                {e.reason ? <p className={`mt-1 text-xs ${e.kind === "override" ? "font-medium text-amber-800" : "text-gray-600"}`}>Reason: {e.reason}</p> : null}
              </li>
            );
          })}
        </ol>
      )}
    </Section>
  );
}
