"use client";

import { useQuery } from "@tanstack/react-query";
import { Select, SelectItem } from "@tremor/react";
import { useState } from "react";
import { useProject } from "../../../../../_components/org-context";
import { DateTime } from "../../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";
import { useModel } from "../../_components/model-context";
import { foldUnchanged } from "./fold";

/** Every saved revision, and the line diff between any two (the newest against the one before by default). */
export function RevisionsPanel({ current }: { current: number | null }) {
  const trpc = useTRPC();
  const project = useProject();
  const model = useModel();
  const revisions = useQuery(trpc.gate.revisions.queryOptions({ projectId: project.id, modelId: model.id }));
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const to = pair?.to ?? current ?? 0;
  const from = pair?.from ?? Math.max(0, to - 1);
  const diff = useQuery(trpc.gate.diff.queryOptions({ projectId: project.id, modelId: model.id, from, to }, { enabled: to >= 1 }));

  if (current === null) return null;
  return (
    <Section title="Revisions" description="Who changed the policy, when and why; pick two revisions to see what changed.">
      {revisions.isPending ? (
        <LoadingRows rows={3} label="Loading revisions" />
      ) : revisions.error ? (
        <ErrorState error={revisions.error} onRetry={() => void revisions.refetch()} />
      ) : (
        <div className="grid gap-4 lg:grid-cols-[18rem_1fr]">
          <ol aria-label="Policy revisions" className="space-y-1">
            {revisions.data.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  onClick={() => setPair({ from: r.revision - 1, to: r.revision })}
                  aria-current={r.revision === to ? "true" : undefined}
                  className={`w-full rounded-md px-2 py-1.5 text-left text-sm ${r.revision === to ? "bg-blue-50 text-blue-800" : "text-gray-700 hover:bg-gray-50"}`}
                  data-revision={r.revision}
                >
                  <span className="font-medium">r{r.revision}</span>
                  <span className="ml-2 text-xs text-emerald-700">+{r.added}</span>
                  <span className="ml-1 text-xs text-rose-700">−{r.removed}</span>
                  <span className="block truncate text-xs text-gray-500">{r.comment || "no comment"}</span>
                  <span className="block text-xs text-gray-400">
                    {r.author.name} · <DateTime date={r.createdAt} />
                  </span>
                </button>
              </li>
            ))}
          </ol>
          <div className="min-w-0 space-y-2">
            <div className="flex items-center gap-2 text-sm text-gray-600">
              <span>Diff</span>
              <div className="w-28">
                <Select aria-label="Diff from" value={String(from)} onValueChange={(v) => setPair({ from: Number(v), to })} enableClear={false}>
                  {[
                    <SelectItem key="0" value="0">
                      empty
                    </SelectItem>,
                    ...revisions.data.filter((r) => r.revision < to).map((r) => (
                      <SelectItem key={r.id} value={String(r.revision)}>
                        {`r${r.revision}`}
                      </SelectItem>
                    )),
                  ]}
                </Select>
              </div>
              <span>→ r{to}</span>
            </div>
            {diff.isPending ? (
              <LoadingRows rows={4} label="Loading diff" />
            ) : diff.error ? (
              <ErrorState error={diff.error} />
            ) : (
              <pre className="max-h-[28rem] overflow-auto rounded-md border border-gray-200 bg-gray-50 py-2 font-mono text-xs leading-5" aria-label="Policy diff">
                {foldUnchanged(diff.data.lines).map((f, i) =>
                  f.kind === "fold" ? (
                    <div key={i} className="bg-gray-100 px-2 text-center text-gray-400" data-fold={f.count}>
                      ⋯ {f.count} unchanged {f.count === 1 ? "line" : "lines"}
                    </div>
                  ) : (
                    <div
                      key={i}
                      data-op={f.line.op}
                      className={`flex px-2 ${f.line.op === "add" ? "bg-emerald-50 text-emerald-900" : f.line.op === "remove" ? "bg-rose-50 text-rose-900" : "text-gray-600"}`}
                    >
                      <span className="w-8 shrink-0 select-none text-right text-gray-400">{f.line.oldLine ?? ""}</span>
                      <span className="w-8 shrink-0 select-none text-right text-gray-400">{f.line.newLine ?? ""}</span>
                      <span className="w-5 shrink-0 select-none text-center">{f.line.op === "add" ? "+" : f.line.op === "remove" ? "−" : ""}</span>
                      <span className="whitespace-pre">{f.line.text}</span>
                    </div>
                  ),
                )}
              </pre>
            )}
          </div>
        </div>
      )}
    </Section>
  );
}
