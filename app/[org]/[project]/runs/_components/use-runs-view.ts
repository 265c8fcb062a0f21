"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";

/** Everything that shapes the runs table; it lives in the URL so a reload or a shared link restores it. */
export interface RunsView {
  experimentId: string | null;
  filter: string;
  sort: { by: string; dir: "asc" | "desc" } | null;
  /** null: the user has not picked columns, so defaults apply. */
  columns: string[] | null;
  groupBy: string | null;
  /** The scatter of all listed runs instead of the table. */
  chart: boolean;
}

function parseView(params: URLSearchParams): RunsView {
  const by = params.get("sort");
  const cols = params.getAll("col");
  return {
    experimentId: params.get("exp"),
    filter: params.get("q") ?? "",
    sort: by ? { by, dir: params.get("dir") === "asc" ? "asc" : "desc" } : null,
    // A lone empty `col=` records a deliberate choice of no columns.
    columns: cols.length ? cols.filter(Boolean) : null,
    groupBy: params.get("group"),
    chart: params.get("view") === "chart",
  };
}

function serializeView(view: RunsView): string {
  const q = new URLSearchParams();
  if (view.experimentId) q.set("exp", view.experimentId);
  if (view.filter.trim()) q.set("q", view.filter.trim());
  if (view.sort) {
    q.set("sort", view.sort.by);
    q.set("dir", view.sort.dir);
  }
  if (view.columns) {
    if (view.columns.length === 0) q.append("col", "");
    for (const c of view.columns) q.append("col", c);
  }
  if (view.groupBy) q.set("group", view.groupBy);
  if (view.chart) q.set("view", "chart");
  return q.toString();
}

/**
 * The view and a setter that writes it to the URL. The view updates at once (a router navigation
 * lands a moment later, and checkboxes must not flicker back meanwhile); a URL changed from outside,
 * by back/forward or a link, replaces it.
 */
export function useRunsView(): [RunsView, (change: Partial<RunsView>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.toString();
  // `seen` is the URL the view was last taken from; only a different URL replaces the view.
  const [state, setState] = useState(() => ({ seen: search, view: parseView(new URLSearchParams(search)) }));
  if (state.seen !== search) setState({ seen: search, view: parseView(new URLSearchParams(search)) });

  const update = useCallback(
    (change: Partial<RunsView>) => {
      const view = { ...state.view, ...change };
      const next = serializeView(view);
      setState((s) => ({ ...s, view }));
      router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
    },
    [state.view, router, pathname],
  );

  return [state.view, update];
}
