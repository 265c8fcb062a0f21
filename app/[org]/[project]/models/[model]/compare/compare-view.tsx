"use client";

import { useQuery } from "@tanstack/react-query";
import { Select, SelectItem } from "@tremor/react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useProject } from "../../../../../_components/org-context";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { formatCount, formatStat } from "../../../../../_lib/format";
import { useTRPC } from "../../../../../_lib/trpc";
import { useModel } from "../../_components/model-context";

/** Two versions side by side: metrics on the same test rows, what changed in the signature and in the lineage. */
export function CompareView() {
  const trpc = useTRPC();
  const router = useRouter();
  const search = useSearchParams();
  const project = useProject();
  const model = useModel();
  const versions = useQuery(trpc.model.versions.queryOptions({ projectId: project.id, modelId: model.id, includeArchived: true }));
  const aNumber = Number(search.get("a"));
  const bNumber = Number(search.get("b"));
  const a = versions.data?.find((v) => v.number === aNumber);
  const b = versions.data?.find((v) => v.number === bNumber);
  const compare = useQuery(trpc.gate.compare.queryOptions({ projectId: project.id, versionId: a?.id ?? "", otherVersionId: b?.id ?? "" }, { enabled: !!a && !!b && a.id !== b.id }));

  if (versions.isPending) return <LoadingRows rows={4} label="Loading versions" />;
  if (versions.error) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  const pick = (side: "a" | "b", n: string) => router.replace(model.paths.compare(side === "a" ? Number(n) : aNumber, side === "b" ? Number(n) : bNumber));
  const picker = (side: "a" | "b", value: number) => (
    <div className="w-40">
      <Select aria-label={side === "a" ? "Base version" : "Other version"} value={value ? String(value) : ""} onValueChange={(n) => pick(side, n)} enableClear={false} placeholder="version">
        {versions.data.map((v) => (
          <SelectItem key={v.id} value={String(v.number)}>
            {`v${v.number}`}
          </SelectItem>
        ))}
      </Select>
    </div>
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3 text-sm text-gray-600">
        <span>Compare</span>
        {picker("a", aNumber)}
        <span>with</span>
        {picker("b", bNumber)}
      </div>
      {!a || !b || a.id === b.id ? (
        <EmptyState title="Pick two different versions">The comparison scores both on the first version&apos;s test rows.</EmptyState>
      ) : compare.isPending ? (
        <LoadingRows rows={5} label="Scoring both versions" />
      ) : compare.error ? (
        <ErrorState error={compare.error} onRetry={() => void compare.refetch()} title="Could not compare" />
      ) : (
        <>
          <Section
            title="Metrics on the same rows"
            description={`Both versions scored on ${compare.data.rows.dataset} v${compare.data.rows.number}, ${compare.data.rows.split} split, ${formatCount(compare.data.rows.count)} rows.`}
          >
            <table className="min-w-full text-sm" aria-label="Metrics side by side">
              <thead>
                <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
                  <th className="px-2 py-1.5 font-medium">Metric</th>
                  <th className="px-2 py-1.5 text-right font-medium">
                    <Link href={model.paths.version(a.number)} className="hover:underline">
                      v{a.number}
                    </Link>
                  </th>
                  <th className="px-2 py-1.5 text-right font-medium">
                    <Link href={model.paths.version(b.number)} className="hover:underline">
                      v{b.number}
                    </Link>
                  </th>
                  <th className="px-2 py-1.5 text-right font-medium">
                    v{b.number} − v{a.number}
                  </th>
                </tr>
              </thead>
              <tbody>
                {compare.data.metrics.map((m) => {
                  const better = m.difference === null || m.difference === 0 ? null : (m.difference < 0) === (m.direction === "lower");
                  return (
                    <tr key={m.metric} className="border-b border-gray-100 last:border-0" data-compare-metric={m.metric}>
                      <td className="px-2 py-1.5 text-gray-900">
                        {m.metric} <span className="text-xs text-gray-400">({m.direction} is better)</span>
                      </td>
                      <td className="px-2 py-1.5 text-right tabular-nums">{formatStat(m.a)}</td>
                      <td className="px-2 py-1.5 text-right tabular-nums">{formatStat(m.b)}</td>
                      <td className={`px-2 py-1.5 text-right tabular-nums ${better === null ? "text-gray-500" : better ? "text-emerald-700" : "text-rose-700"}`}>
                        {m.difference === null ? "—" : `${m.difference > 0 ? "+" : ""}${formatStat(m.difference)}`}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Section>
          <div className="grid items-start gap-6 lg:grid-cols-2">
            <Section title="Signature" description={`What changed from v${a.number} to v${b.number}.`}>
              {compare.data.signature.changes.length === 0 ? (
                <p className="text-sm text-gray-500">Same inputs.</p>
              ) : (
                <ul className="space-y-1 text-sm" aria-label="Signature diff">
                  {compare.data.signature.changes.map((c) => (
                    <li key={`${c.input}-${c.change}`} className={c.change === "added" ? "text-emerald-700" : "text-rose-700"}>
                      <span className="font-mono text-xs">{c.input}</span> {c.change}
                      {c.from || c.to ? ` (${c.from ?? "—"} → ${c.to ?? "—"})` : ""}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="Lineage" description="Where the two versions' origins differ.">
              {compare.data.lineage.length === 0 ? (
                <p className="text-sm text-gray-500">Same lineage.</p>
              ) : (
                <table className="min-w-full text-sm" aria-label="Lineage diff">
                  <thead>
                    <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
                      <th className="px-2 py-1 font-medium">Field</th>
                      <th className="px-2 py-1 font-medium">v{a.number}</th>
                      <th className="px-2 py-1 font-medium">v{b.number}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {compare.data.lineage.map((d) => (
                      <tr key={d.path} className="border-b border-gray-100 last:border-0 align-top">
                        <td className="px-2 py-1 font-mono text-xs text-gray-500">{d.path}</td>
                        <td className="break-all px-2 py-1 font-mono text-xs text-rose-800">{d.a ?? "—"}</td>
                        <td className="break-all px-2 py-1 font-mono text-xs text-emerald-800">{d.b ?? "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>
          </div>
        </>
      )}
    </div>
  );
}
