"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useMemo, useRef, useState, type CSSProperties } from "react";
import { RelativeTime } from "../../../../_components/relative-time";
import { cellValue, columnLabel, sortField, type DataColumn, type RunRow } from "./columns";
import { formatDuration, formatMetric, formatParam, runDuration } from "./format";
import { groupRuns, type TableItem } from "./groups";
import { RunStatusBadge } from "./run-status-badge";

const ROW_HEIGHT = 36;
/** Widths: `min` is what a column never shrinks below; `grow` shares out room the window has to spare. */
const FIXED = [
  { id: "select", label: "", min: 40, grow: 0 },
  { id: "status", label: "Status", min: 96, grow: 0, sort: "status" },
  { id: "name", label: "Run", min: 170, grow: 2, sort: "name" },
  { id: "experiment", label: "Experiment", min: 100, grow: 1, sort: "experiment" },
  { id: "created", label: "Created", min: 124, grow: 0, sort: "created" },
  { id: "duration", label: "Duration", min: 80, grow: 0 },
] as const;
// With the default four data columns the table needs 980 px: a 1,280 px screen beside the sidebar.
const DATA = { min: 92, grow: 1 };
const stickyBg = "bg-white group-hover:bg-gray-50";
/** Checkbox, status and name stay in view while wide tables scroll sideways. */
const STICKY = { select: "sticky left-0 z-[1]", status: "sticky left-[40px] z-[1]", name: "sticky left-[136px] z-[1] shadow-[1px_0_0_#e5e7eb]" };
const track = (c: { min: number; grow: number }) => (c.grow ? `minmax(${c.min}px, ${c.grow}fr)` : `${c.min}px`);

interface Props {
  runs: RunRow[];
  columns: DataColumn[];
  sort: { by: string; dir: "asc" | "desc" } | null;
  onSort: (by: string) => void;
  groupBy: string | null;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
  runHref: (id: string) => string;
}

/** Only the rows in view are in the DOM, so thousands of runs scroll as smoothly as ten. */
export function RunsTable({ runs, columns, sort, onSort, groupBy, selected, onSelect, runHref }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const items = useMemo(() => groupRuns(runs, groupBy, collapsed), [runs, groupBy, collapsed]);
  // TanStack Virtual hands out functions over mutable state, so the React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // React 19 warns when flushSync runs during render; a frame of lag on fast scrolls is invisible here.
    useFlushSync: false,
  });
  const template = [...FIXED.map(track), ...columns.map(() => track(DATA))].join(" ");
  const minWidth = FIXED.reduce((s, c) => s + c.min, 0) + columns.length * DATA.min;
  const allSelected = runs.length > 0 && runs.every((r) => selected.has(r.id));

  const toggleGroup = (value: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(value)) next.delete(value);
      else next.add(value);
      return next;
    });

  const header = (label: string, by: string | null, key: string, numeric = false, sticky = "") => {
    const active = sort && by !== null && sort.by === by;
    return (
      <div
        key={key}
        role="columnheader"
        aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
        className={`flex items-center truncate bg-gray-50 px-2 ${numeric ? "justify-end" : ""} ${sticky}`}
      >
        {by === null ? (
          <span className="truncate">{label}</span>
        ) : (
          <button type="button" onClick={() => onSort(by)} title={`Sort by ${label}`} className="flex min-w-0 items-center gap-1 truncate hover:text-gray-900">
            <span className="truncate">{label}</span>
            <span aria-hidden className={active ? "text-blue-600" : "text-transparent"}>
              {active && sort.dir === "asc" ? "▲" : "▼"}
            </span>
          </button>
        )}
      </div>
    );
  };

  return (
    <div
      ref={scroller}
      role="table"
      aria-label="Runs"
      aria-rowcount={runs.length + 1}
      className="max-h-[70vh] overflow-auto rounded-lg border border-gray-200 bg-white text-sm"
    >
      <div role="rowgroup" className="sticky top-0 z-10 border-b border-gray-200 bg-gray-50 text-xs font-medium text-gray-600" style={{ minWidth }}>
        <div role="row" className="grid" style={{ gridTemplateColumns: template, minWidth, height: ROW_HEIGHT }}>
          <div role="columnheader" className={`flex items-center justify-center bg-gray-50 ${STICKY.select}`}>
            <input type="checkbox" aria-label="Select all runs" checked={allSelected} onChange={(e) => onSelect(runs.map((r) => r.id), e.target.checked)} />
          </div>
          {FIXED.slice(1).map((c) => header(c.label, "sort" in c ? c.sort : null, c.id, false, c.id === "status" || c.id === "name" ? STICKY[c.id] : ""))}
          {columns.map((c) => header(columnLabel(c), sortField(c) === null ? null : c.id, c.id, c.kind === "metric"))}
        </div>
      </div>
      <div role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize(), minWidth }}>
        {virtualizer.getVirtualItems().map((v) => {
          const item = items[v.index]!;
          const style = { transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, gridTemplateColumns: template, minWidth };
          if (item.kind === "group") {
            return (
              <GroupRow key={`g:${item.value}`} item={item} open={!collapsed.has(item.value)} groupBy={groupBy ?? ""} style={style} onToggle={() => toggleGroup(item.value)} />
            );
          }
          const r = item.run;
          return (
            <div key={r.id} role="row" data-run-id={r.id} className="group absolute left-0 top-0 grid w-full border-b border-gray-100 bg-white hover:bg-gray-50" style={style}>
              <div role="cell" className={`flex items-center justify-center ${STICKY.select} ${stickyBg}`}>
                <input type="checkbox" aria-label={`Select ${r.name}`} checked={selected.has(r.id)} onChange={(e) => onSelect([r.id], e.target.checked)} />
              </div>
              <div role="cell" className={`flex items-center px-2 ${STICKY.status} ${stickyBg}`}>
                <RunStatusBadge status={r.status} />
              </div>
              <div role="cell" className={`flex min-w-0 items-center gap-1.5 px-2 ${STICKY.name} ${stickyBg}`}>
                <Link href={runHref(r.id)} className="truncate font-medium text-blue-700 hover:underline" title={r.name}>
                  {r.name}
                </Link>
                <span className="shrink-0 text-xs text-gray-400">#{r.number}</span>
                {r.archivedAt ? (
                  <span className="shrink-0 rounded bg-amber-50 px-1 text-xs text-amber-700" data-archived>
                    archived
                  </span>
                ) : null}
              </div>
              <div role="cell" className="flex items-center truncate px-2 text-gray-600" title={r.experiment}>
                <span className="truncate">{r.experiment}</span>
              </div>
              <div role="cell" className="flex items-center px-2 text-gray-600">
                <RelativeTime date={r.createdAt} />
              </div>
              <div role="cell" className="flex items-center px-2 tabular-nums text-gray-600">
                {formatDuration(runDuration(r) ?? -1)}
              </div>
              {columns.map((c) => {
                const value = cellValue(r, c);
                const text = c.kind === "metric" ? formatMetric(value as number | null | undefined) : formatParam(value);
                return (
                  <div key={c.id} role="cell" data-col={c.id} title={text} className={`flex items-center truncate px-2 tabular-nums ${c.kind === "metric" ? "justify-end" : ""}`}>
                    <span className="truncate">{text}</span>
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function GroupRow({ item, open, groupBy, style, onToggle }: { item: Extract<TableItem, { kind: "group" }>; open: boolean; groupBy: string; style: CSSProperties; onToggle: () => void }) {
  return (
    <div role="row" data-group={item.label} className="absolute left-0 top-0 flex w-full items-center border-b border-gray-200 bg-gray-100/70" style={{ ...style, display: "flex" }}>
      <div role="cell" className="sticky left-0 flex items-center px-2">
        <button type="button" aria-expanded={open} onClick={onToggle} className="flex items-center gap-2 rounded px-1 text-sm hover:bg-gray-200">
          <span aria-hidden className="inline-block w-3 text-gray-500">{open ? "▾" : "▸"}</span>
          <span className="font-mono text-xs text-gray-500">{groupBy} =</span>
          <span className="font-medium text-gray-900">{item.label}</span>
          <span className="rounded-full bg-white px-2 text-xs text-gray-600">{item.count}</span>
        </button>
      </div>
    </div>
  );
}
