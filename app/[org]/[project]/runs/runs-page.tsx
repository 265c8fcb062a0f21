"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Select, SelectItem } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useOrg, useProject } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { EmptyState, ErrorState, LoadingRows } from "../../../_components/states";
import { errorMessage } from "../../../_lib/errors";
import { useTRPC } from "../../../_lib/trpc";
import { ColumnPicker } from "./_components/column-picker";
import { ATTRIBUTE_SORTS, availableKeys, defaultColumns, parseColumnId, sortField, type DataColumn } from "./_components/columns";
import { FilterBox } from "./_components/filter-box";
import { FirstRunHint } from "./_components/first-run-hint";
import { RunsScatter } from "./_components/runs-scatter";
import { RunsTable } from "./_components/runs-table";
import { useRunsView, type RunsView } from "./_components/use-runs-view";
import { Toggle } from "./_components/toggle";

/** run.list's ceiling: more than this is a filter's job, not a scrollbar's. */
const LIMIT = 5000;
const MAX_COMPARE = 50;
/** Running runs change their metrics; the list catches up this often (a run page polls faster). */
const LIST_POLL_MS = 15_000;
const ASCENDING_FIRST = new Set(["name", "experiment", "status"]);
/** A param key cannot be empty, so this never names one. */
const NO_GROUP = "";

function serverSort(sort: RunsView["sort"]) {
  if (!sort) return undefined;
  if ((ATTRIBUTE_SORTS as readonly string[]).includes(sort.by)) return sort;
  const column = parseColumnId(sort.by);
  const by = column && sortField(column);
  return by ? { by, dir: sort.dir } : undefined;
}

export function RunsPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const { org, can } = useOrg();
  const project = useProject();
  const [view, update] = useRunsView();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [showArchived, setShowArchived] = useState(false);
  const base = `/${org.slug}/${project.slug}/runs`;

  const experiments = useQuery(trpc.run.experiments.queryOptions({ projectId: project.id }));
  const list = useQuery(
    trpc.run.list.queryOptions(
      { projectId: project.id, experimentId: view.experimentId ?? undefined, filter: view.filter || undefined, sort: serverSort(view.sort), limit: LIMIT, includeArchived: showArchived },
      { placeholderData: keepPreviousData, refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "RUNNING") ? LIST_POLL_MS : false) },
    ),
  );
  const runs = useMemo(() => list.data?.runs ?? [], [list.data]);
  const keys = useMemo(() => availableKeys(runs), [runs]);
  const chosen = useMemo(() => view.columns ?? defaultColumns(runs, project.primaryMetric?.key ?? null), [view.columns, runs, project.primaryMetric]);
  const columns = chosen.map(parseColumnId).filter((c): c is DataColumn => c !== null);
  const filterError = list.error && errorMessage(list.error).startsWith("Filter:") ? errorMessage(list.error) : null;
  const unfiltered = !view.filter && !view.experimentId;

  const onSort = (by: string) =>
    update({ sort: view.sort?.by === by ? { by, dir: view.sort.dir === "asc" ? "desc" : "asc" } : { by, dir: ASCENDING_FIRST.has(by) ? "asc" : "desc" } });
  const onSelect = (ids: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const canCompare = selected.size >= 2 && selected.size <= MAX_COMPARE;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Runs"
        description="Training and evaluation runs with their params, metrics and artifacts. Pick runs to compare them side by side."
        actions={
          <>
            {selected.size > 0 ? (
              <Button size="xs" variant="light" onClick={() => setSelected(new Set())}>
                Clear selection
              </Button>
            ) : null}
            <Button
              disabled={!canCompare}
              title={selected.size > MAX_COMPARE ? `Compare at most ${MAX_COMPARE} runs` : "Select 2 to 50 runs"}
              onClick={() => router.push(`${base}/compare?ids=${[...selected].join(",")}`)}
            >
              Compare ({selected.size})
            </Button>
            <Button variant="secondary" disabled={!can("MEMBER")} title={can("MEMBER") ? undefined : "Members and above can start training"} onClick={() => router.push(`${base}/new`)}>
              Train a model
            </Button>
          </>
        }
      />
      <div className="flex flex-wrap items-start gap-3">
        <div className="w-56">
          <Select
            value={view.experimentId ?? "all"}
            onValueChange={(v) => update({ experimentId: v === "all" ? null : v })}
            enableClear={false}
            aria-label="Experiment"
            disabled={experiments.isPending}
          >
            {[
              <SelectItem key="all" value="all">
                All experiments
              </SelectItem>,
              ...(experiments.data ?? []).map((e) => (
                <SelectItem key={e.id} value={e.id}>
                  {`${e.name} (${e.runCount})`}
                </SelectItem>
              )),
            ]}
          </Select>
        </div>
        <FilterBox key={view.filter} value={view.filter} error={filterError} onApply={(filter) => update({ filter })} />
        <div className="pt-2">
          <Toggle checked={showArchived} onChange={setShowArchived} label="Show archived" />
        </div>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-gray-500" aria-live="polite">
          {list.data
            ? list.data.total > runs.length
              ? `Showing the first ${runs.length.toLocaleString("en")} of ${list.data.total.toLocaleString("en")} runs; narrow the filter to see the rest.`
              : `${list.data.total.toLocaleString("en")} ${list.data.total === 1 ? "run" : "runs"}`
            : null}
          {list.isFetching && list.data ? <span className="ml-2 text-gray-400">updating…</span> : null}
        </p>
        <div className="flex items-center gap-2">
          <div className="w-52">
            <Select value={view.groupBy ?? NO_GROUP} onValueChange={(v) => update({ groupBy: v === NO_GROUP ? null : v })} enableClear={false} placeholder="No grouping" aria-label="Group by">
              {[
                <SelectItem key={NO_GROUP} value={NO_GROUP}>
                  No grouping
                </SelectItem>,
                ...keys.params.map((k) => (
                  <SelectItem key={k} value={k}>
                    {`Group by ${k}`}
                  </SelectItem>
                )),
              ]}
            </Select>
          </div>
          <div className="flex overflow-hidden rounded-md border border-gray-200 text-sm" role="group" aria-label="View">
            {(["table", "chart"] as const).map((mode) => (
              <button
                key={mode}
                type="button"
                aria-pressed={(mode === "chart") === view.chart}
                onClick={() => update({ chart: mode === "chart" })}
                className={`px-3 py-1.5 ${(mode === "chart") === view.chart ? "bg-gray-900 text-white" : "bg-white text-gray-700 hover:bg-gray-50"}`}
              >
                {mode === "table" ? "Table" : "Chart"}
              </button>
            ))}
          </div>
          {view.chart ? null : <ColumnPicker keys={keys} chosen={chosen} onChange={(cols) => update({ columns: cols })} />}
        </div>
      </div>
      {list.isPending ? (
        <LoadingRows rows={8} label="Loading runs" />
      ) : filterError ? (
        <EmptyState title="Fix the filter to see runs">The expression above does not parse; the message says where.</EmptyState>
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : runs.length === 0 ? (
        unfiltered ? (
          <EmptyState title="No runs yet" action={<FirstRunHint orgSlug={org.slug} projectSlug={project.slug} />} />
        ) : (
          <EmptyState title="No runs match">Change the filter or pick another experiment.</EmptyState>
        )
      ) : view.chart ? (
        <RunsScatter runs={runs} keys={keys} primaryMetric={project.primaryMetric?.key ?? null} runHref={(id) => `${base}/${id}`} />
      ) : (
        <RunsTable
          runs={runs}
          columns={columns}
          sort={view.sort}
          onSort={onSort}
          groupBy={view.groupBy}
          selected={selected}
          onSelect={onSelect}
          runHref={(id) => `${base}/${id}`}
        />
      )}
    </div>
  );
}
