"use client";

import { useQuery } from "@tanstack/react-query";
import { Button, Select, SelectItem } from "@tremor/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { formatCount, formatPercent } from "../../../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { useDataset } from "../../_components/dataset-context";
import { CompareCharts } from "./compare-charts";
import { CompareTable, PSI_LIMIT } from "./compare-table";

type Comparison = RouterOutputs["dataset"]["compare"];

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

export function CompareView({ baseId, targetId }: { baseId: string | null; targetId: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const dataset = useDataset();
  const versions = useQuery(trpc.dataset.versions.queryOptions({ projectId: dataset.projectId, datasetId: dataset.id }));
  const ready = (versions.data ?? []).filter((v) => v.profileStatus === "READY");
  const comparison = useQuery(
    trpc.dataset.compare.queryOptions(
      { projectId: dataset.projectId, baseVersionId: baseId ?? "", targetVersionId: targetId ?? "" },
      {
        enabled: !!baseId && !!targetId,
        // The compare job reads both versions in full; poll until it has stored the result.
        refetchInterval: (q) => (q.state.data && (q.state.data.status === "PENDING" || q.state.data.status === "RUNNING") ? 1000 : false),
      },
    ),
  );
  const go = (b: string | null, t: string | null) => b && t && router.push(dataset.paths.compare(b, t));

  const picker = (label: string, value: string | null, onPick: (id: string) => void) => (
    <div className="w-56">
      <Select value={value ?? ""} onValueChange={onPick} enableClear={false} placeholder={label} aria-label={label}>
        {ready.map((v) => (
          <SelectItem key={v.id} value={v.id}>
            {`v${v.number} · ${v.fileName}`}
          </SelectItem>
        ))}
      </Select>
    </div>
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-2" aria-label="Versions to compare">
        <span className="text-sm text-gray-500">Base</span>
        {picker("Base version", baseId, (id) => go(id, targetId))}
        <Button size="xs" variant="light" onClick={() => go(targetId, baseId)} disabled={!baseId || !targetId} aria-label="Swap base and target">
          ⇄
        </Button>
        <span className="text-sm text-gray-500">Target</span>
        {picker("Target version", targetId, (id) => go(baseId, id))}
      </div>
      {!baseId || !targetId ? (
        <EmptyState title="Pick two versions">Choose a base and a target version, both profiled, to see how the schema and the distributions changed.</EmptyState>
      ) : comparison.isPending ? (
        <LoadingRows rows={6} label="Loading comparison" />
      ) : comparison.error ? (
        <ErrorState error={comparison.error} onRetry={() => void comparison.refetch()} />
      ) : (
        <CompareResult data={comparison.data} />
      )}
    </div>
  );
}

function categoryList(items: { value: string; count: number }[], more: number) {
  const listed = items.map((t) => `${t.value} (${formatCount(t.count)})`).join(", ");
  return more > items.length ? `${listed} and ${more - items.length} more` : listed;
}

/** New and vanished categories, called out above the table. */
function CategoryChanges({ columns }: { columns: Comparison["columns"] }) {
  const rows = columns.flatMap((c) => [
    ...(c.newCategories ? [{ column: c.column, kind: "new" as const, change: c.newCategories }] : []),
    ...(c.vanishedCategories ? [{ column: c.column, kind: "vanished" as const, change: c.vanishedCategories }] : []),
  ]);
  if (rows.length === 0) return null;
  return (
    <ul className="mt-4 space-y-1 text-sm" aria-label="Category changes">
      {rows.map((r) => (
        <li key={`${r.column}-${r.kind}`} data-category-change={r.kind} data-column={r.column} className={r.kind === "new" ? "text-amber-800" : "text-gray-700"}>
          <span className="font-mono font-medium">{r.column}</span>
          {r.kind === "new"
            ? `: ${plural(r.change.count, "new category", "new categories")} in ${formatPercent(r.change.share)} of target rows: ${categoryList(r.change.top, r.change.count)}`
            : `: ${plural(r.change.count, "category", "categories")} vanished (${formatPercent(r.change.share)} of base rows): ${categoryList(r.change.top, r.change.count)}`}
        </li>
      ))}
    </ul>
  );
}

function CompareResult({ data }: { data: Comparison }) {
  const { paths } = useDataset();
  const pending = data.status === "PENDING" || data.status === "RUNNING";
  const changed = data.columns.filter((c) => c.status !== "same");
  const drifted = data.columns.filter((c) => c.drifted);
  const skipped = data.columns.filter((c) => c.skipped);
  const newCats = data.columns.filter((c) => c.newCategories);
  const colour = { added: "border-emerald-200 bg-emerald-50 text-emerald-800", removed: "border-rose-200 bg-rose-50 text-rose-800 line-through", retyped: "border-amber-200 bg-amber-50 text-amber-800", same: "" };
  const driftSummary = pending
    ? "computing drift on the full data…"
    : data.status === "FAILED"
      ? "drift could not be computed"
      : `${plural(drifted.length, "column")} drifted (PSI above ${PSI_LIMIT})${newCats.length ? ` · new categories in ${plural(newCats.length, "column")}` : ""}${skipped.length ? ` · ${skipped.length} not tested` : ""}`;
  return (
    <>
      <Section
        title={`${data.base.label} → ${data.target.label}`}
        description={`${formatCount(data.base.rowCount)} → ${formatCount(data.target.rowCount)} rows · ${plural(changed.length, "schema change")} · ${driftSummary}`}
        actions={
          <div className="flex gap-3 text-sm">
            <Link href={paths.version(data.base.id)} className="text-blue-700 hover:underline">
              Base version
            </Link>
            <Link href={paths.version(data.target.id)} className="text-blue-700 hover:underline">
              Target version
            </Link>
          </div>
        }
      >
        <div aria-label="Schema diff" role="group">
          <p className="mb-2 text-xs font-medium uppercase tracking-wide text-gray-500">Schema diff</p>
          {changed.length === 0 ? (
            <p className="text-sm text-gray-600">Same columns with the same types.</p>
          ) : (
            <ul className="flex flex-wrap gap-2">
              {changed.map((c) => (
                <li key={c.column} data-schema-change={c.status} className={`rounded-md border px-2 py-1 font-mono text-xs ${colour[c.status]}`}>
                  {c.status === "added" ? "+ " : c.status === "removed" ? "− " : "~ "}
                  {c.column}
                  {c.status === "retyped" ? ` (${c.baseType} → ${c.targetType})` : ""}
                </li>
              ))}
            </ul>
          )}
        </div>
        {drifted.length > 0 ? (
          <p className="mt-4 text-sm text-rose-800" data-drifted-columns>
            Drifted: {drifted.map((c) => `${c.column} (PSI ${c.psi!.toFixed(2)})`).join(", ")}
          </p>
        ) : null}
        <CategoryChanges columns={data.columns} />
      </Section>
      {pending ? <LoadingRows rows={3} label="Computing drift on the full data of both versions" /> : null}
      {data.status === "FAILED" ? <ErrorState title="Drift could not be computed" error={new Error(data.error ?? "The compare job failed")} /> : null}
      <CompareTable columns={data.columns} pending={pending} />
      {pending ? null : <CompareCharts columns={data.columns} baseLabel={data.base.label} targetLabel={data.target.label} />}
    </>
  );
}
