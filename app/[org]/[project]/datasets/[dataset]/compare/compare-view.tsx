"use client";

import { useQuery } from "@tanstack/react-query";
import { Button, Select, SelectItem } from "@tremor/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { formatCount } from "../../../../../_lib/format";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { useDataset } from "../../_components/dataset-context";
import { CompareCharts } from "./compare-charts";
import { CompareTable, PSI_LIMIT } from "./compare-table";

type Comparison = RouterOutputs["dataset"]["compare"];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function CompareView({ baseId, targetId }: { baseId: string | null; targetId: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const dataset = useDataset();
  const versions = useQuery(trpc.dataset.versions.queryOptions({ projectId: dataset.projectId, datasetId: dataset.id }));
  const ready = (versions.data ?? []).filter((v) => v.profileStatus === "READY");
  const comparison = useQuery(
    trpc.dataset.compare.queryOptions({ projectId: dataset.projectId, baseVersionId: baseId ?? "", targetVersionId: targetId ?? "" }, { enabled: !!baseId && !!targetId }),
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

function CompareResult({ data }: { data: Comparison }) {
  const { paths } = useDataset();
  const changed = data.columns.filter((c) => c.status !== "same");
  const shifted = data.columns.filter((c) => c.psi !== null && c.psi > PSI_LIMIT);
  const colour = { added: "border-emerald-200 bg-emerald-50 text-emerald-800", removed: "border-rose-200 bg-rose-50 text-rose-800 line-through", retyped: "border-amber-200 bg-amber-50 text-amber-800", same: "" };
  return (
    <>
      <Section
        title={`${data.base.label} → ${data.target.label}`}
        description={`${formatCount(data.base.rowCount)} → ${formatCount(data.target.rowCount)} rows · ${plural(changed.length, "schema change")} · ${plural(shifted.length, "column")} with PSI above ${PSI_LIMIT}`}
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
      </Section>
      <CompareTable columns={data.columns} />
      <CompareCharts columns={data.columns} baseLabel={data.base.label} targetLabel={data.target.label} />
    </>
  );
}
