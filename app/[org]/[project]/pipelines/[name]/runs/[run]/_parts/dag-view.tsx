"use client";

import type { StepRunDto } from "@/server/pipelines/schemas";
import { STEP_STYLE } from "../../../../_components/badges";
import { BOX, layoutDag } from "../../../../_components/dag-layout";
import { elapsed, formatDuration } from "../../../../_components/words";

/**
 * The run's steps as a graph: a column per dependency depth, arrows from each need, boxes coloured
 * by state (a running step pulses); clicking a box selects the step below.
 */
export function DagView({ steps, selected, onSelect, now }: { steps: StepRunDto[]; selected: string | null; onSelect: (stepId: string) => void; now: number }) {
  const layout = layoutDag(steps.map((s) => ({ ...s, id: s.stepId })));
  const pad = 8;
  return (
    <div className="overflow-x-auto">
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
              className={`absolute flex flex-col justify-center rounded-lg border-2 px-3 text-left shadow-sm transition ${style.box} ${selected === s.stepId ? "ring-2 ring-blue-500 ring-offset-1" : "hover:shadow"}`}
              style={{ left: x + pad, top: y + pad, width: BOX.width, height: BOX.height }}
            >
              <span className="flex items-center gap-1.5 text-sm font-semibold">
                {s.status === "RUNNING" ? <span aria-hidden className="h-2 w-2 shrink-0 animate-ping rounded-full bg-blue-500" /> : null}
                <span className="truncate">{s.stepId}</span>
                <span className="ml-auto shrink-0 rounded bg-white/70 px-1 text-[10px] font-normal opacity-80">{s.kind}</span>
              </span>
              <span className="truncate text-xs opacity-80">
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
