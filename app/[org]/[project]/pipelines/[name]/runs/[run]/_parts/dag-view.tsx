"use client";

import { useEffect, useRef, useState } from "react";
import type { StepRunDto } from "@/server/pipelines/schemas";
import { STEP_STYLE } from "../../../../_components/badges";
import { BOX, boxWidthFor, depths, layoutDag } from "../../../../_components/dag-layout";
import { elapsed, formatDuration } from "../../../../_components/words";

/**
 * The run's steps as a graph: a column per dependency depth, arrows from each need, boxes coloured
 * by state (a running step pulses); clicking a box selects the step below.
 */
export function DagView({ steps, selected, onSelect, now }: { steps: StepRunDto[]; selected: string | null; onSelect: (stepId: string) => void; now: number }) {
  const frame = useRef<HTMLDivElement>(null);
  const [available, setAvailable] = useState<number>(BOX.width * 6);
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setAvailable(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const pad = 8;
  const nodes = steps.map((s) => ({ ...s, id: s.stepId }));
  const columns = Math.max(0, ...depths(nodes).values()) + 1;
  // Boxes narrow so the usual six-step chain fits the page; a wider graph scrolls sideways.
  const layout = layoutDag(nodes, boxWidthFor(available - 2 * pad, columns));
  const wide = layout.boxWidth >= 180;
  return (
    <div ref={frame} className="overflow-x-auto">
      <div className="relative" style={{ width: layout.width + 2 * pad, height: layout.height + 2 * pad }} role="group" aria-label="Pipeline graph">
        <svg className="absolute inset-0" width={layout.width + 2 * pad} height={layout.height + 2 * pad} aria-hidden>
          <defs>
            <marker id="dag-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="fill-gray-400" />
            </marker>
          </defs>
          <g transform={`translate(${pad} ${pad})`}>
            {layout.edges.map((e) => (
              <path key={`${e.from}-${e.to}`} d={e.path} className="fill-none stroke-gray-400" strokeWidth={1.5} markerEnd="url(#dag-arrow)" data-edge={`${e.from}>${e.to}`} />
            ))}
          </g>
        </svg>
        {layout.nodes.map(({ node: s, x, y }) => {
          const style = STEP_STYLE[s.status];
          const ms = elapsed(s.startedAt, s.finishedAt, now);
          return (
            <button
              key={s.stepId}
              type="button"
              onClick={() => onSelect(s.stepId)}
              aria-pressed={selected === s.stepId}
              data-step={s.stepId}
              data-step-state={s.status}
              className={`absolute flex flex-col justify-center rounded-lg border-2 text-left ${wide ? "px-3" : "px-2"} shadow-sm transition ${style.box} ${selected === s.stepId ? "ring-2 ring-blue-500 ring-offset-1" : "hover:shadow"}`}
              style={{ left: x + pad, top: y + pad, width: layout.boxWidth, height: BOX.height }}
              title={`${s.stepId} (${s.kind})`}
            >
              <span className="flex items-center gap-1.5 text-sm font-semibold">
                {s.status === "RUNNING" ? <span aria-hidden className="h-2 w-2 shrink-0 animate-ping rounded-full bg-blue-500" /> : null}
                <span className="truncate">{s.stepId}</span>
                {wide ? <span className="ml-auto shrink-0 rounded bg-white/70 px-1 text-[10px] font-normal opacity-80">{s.kind}</span> : null}
              </span>
              <span className={`truncate opacity-80 ${wide ? "text-xs" : "text-[11px]"}`}>
                {s.status === "CACHED" && s.cachedFrom ? `cached from #${s.cachedFrom.number}` : style.word}
                {s.attempt > 1 ? ` · try ${s.attempt}` : ""}
                {ms !== null && s.status !== "CACHED" ? ` · ${formatDuration(ms)}` : ""}
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
