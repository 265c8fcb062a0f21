"use client";

import { useEffect, useRef, useState } from "react";
import { useTRPCClient, type RouterOutputs } from "../../../../../_lib/trpc";

export type LogLine = RouterOutputs["training"]["logs"][number];

/** How often a live log asks for new lines. */
export const LOG_POLL_MS = 1_000;
/** The server's page size; a full page means more lines are waiting. */
const PAGE = 1000;
/** Lines kept in the browser; older ones drop off the top of a very chatty log. */
export const MAX_LINES = 5000;

interface State {
  lines: LogLine[];
  dropped: number;
  loaded: boolean;
  error: unknown;
}

/**
 * A run's log, read incrementally with `afterId` (each poll returns only new lines). While `live`
 * it polls every second; when `live` turns false it reads once more, so the last lines arrive.
 */
export function useRunLogs(projectId: string, runId: string, live: boolean) {
  const client = useTRPCClient();
  const [state, setState] = useState<State>({ lines: [], dropped: 0, loaded: false, error: null });
  const lastId = useRef<string | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let full = false;
      try {
        const batch = await client.training.logs.query({ projectId, runId, afterId: lastId.current, limit: PAGE });
        if (stopped) return;
        full = batch.length === PAGE;
        if (batch.length > 0) lastId.current = batch[batch.length - 1]!.id;
        setState((s) => {
          if (batch.length === 0) return s.loaded && s.error === null ? s : { ...s, loaded: true, error: null };
          const all = s.lines.concat(batch);
          const drop = Math.max(0, all.length - MAX_LINES);
          return { lines: drop ? all.slice(drop) : all, dropped: s.dropped + drop, loaded: true, error: null };
        });
      } catch (err) {
        if (stopped) return;
        setState((s) => ({ ...s, loaded: true, error: err }));
      }
      if (!stopped && (live || full)) timer = setTimeout(() => void tick(), full ? 0 : LOG_POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, projectId, runId, live]);

  return state;
}
