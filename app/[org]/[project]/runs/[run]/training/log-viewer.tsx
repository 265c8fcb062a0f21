"use client";

import { useLayoutEffect, useRef, useState } from "react";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { formatCount } from "../../../../../_lib/format";
import { Toggle } from "../../_components/toggle";
import { LOG_POLL_MS, MAX_LINES, useRunLogs, type LogLine } from "./use-run-logs";

const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

const STREAM_CLASS: Record<string, string> = {
  stdout: "text-gray-100",
  stderr: "bg-rose-950/60 text-rose-200",
  system: "text-sky-300",
};

function Line({ line, showAttempt }: { line: LogLine; showAttempt: boolean }) {
  return (
    <>
      {showAttempt ? (
        <div className="my-1 border-t border-gray-700 pt-1 text-[11px] uppercase tracking-wide text-gray-400" data-attempt={line.attempt}>
          attempt {line.attempt}
        </div>
      ) : null}
      <div className={`flex gap-3 px-1 ${STREAM_CLASS[line.stream] ?? STREAM_CLASS.stdout}`} data-stream={line.stream} data-log-line>
        <span className="shrink-0 select-none text-gray-500" suppressHydrationWarning>
          {time.format(line.ts)}
        </span>
        <span className="w-12 shrink-0 select-none text-right text-gray-500">{line.stream === "system" ? "cairn" : line.stream === "stderr" ? "err" : ""}</span>
        <span className="min-w-0 whitespace-pre-wrap break-all">{line.line}</span>
      </div>
    </>
  );
}

/** The run's stdout, stderr and Cairn's own (system) lines, following new output while the run is live. */
export function LogViewer({ projectId, runId, live }: { projectId: string; runId: string; live: boolean }) {
  const logs = useRunLogs(projectId, runId, live);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const count = logs.lines.length;

  useLayoutEffect(() => {
    const el = box.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [count, follow]);

  // Scrolling up to read stops following; scrolling back to the end resumes it.
  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
    if (atEnd !== follow) setFollow(atEnd);
  };

  return (
    <Section
      title="Log"
      description={
        live ? (
          <span className="inline-flex items-center gap-1.5">
            <span className="h-2 w-2 animate-pulse rounded-full bg-blue-500" aria-hidden />
            live, every {LOG_POLL_MS / 1000} s
          </span>
        ) : (
          `${formatCount(count + logs.dropped)} lines`
        )
      }
      actions={<Toggle checked={follow} onChange={setFollow} label="Follow" />}
    >
      {!logs.loaded ? (
        <LoadingRows rows={3} label="Loading log" />
      ) : logs.error && count === 0 ? (
        <ErrorState error={logs.error} title="Could not read the log" />
      ) : (
        <div>
          {logs.dropped > 0 ? <p className="mb-1 text-xs text-gray-500">Showing the last {formatCount(MAX_LINES)} lines.</p> : null}
          <div ref={box} onScroll={onScroll} className="h-80 overflow-auto rounded-md bg-gray-900 p-2 font-mono text-xs leading-5" role="log" aria-label="Run log" aria-live="off">
            {count === 0 ? (
              <p className="text-gray-400">{live ? "Waiting for the first lines…" : "This run wrote no log lines."}</p>
            ) : (
              logs.lines.map((l, i) => <Line key={l.id} line={l} showAttempt={i === 0 ? l.attempt > 1 : logs.lines[i - 1]!.attempt !== l.attempt} />)
            )}
          </div>
          {logs.error ? <p className="mt-1 text-xs text-rose-600">Lost contact with the server; retrying.</p> : null}
        </div>
      )}
    </Section>
  );
}
