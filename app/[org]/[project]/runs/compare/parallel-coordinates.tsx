"use client";

import { useMemo, useState } from "react";
import { Section } from "../../../../_components/states";
import { formatMetric } from "../_components/format";
import type { CompareData } from "../_components/types";
import { layoutAxes, runPath, type AxisInput } from "./parallel-layout";
import type { LabelledRun } from "./run-labels";

const HEIGHT = 300;
const TOP = 28;
const BOTTOM = 24;
const AXIS_GAP = 130;
const SIDE = 70;

/** Every differing param and every metric on its own axis, one line per run: which settings go with good results. */
export function ParallelCoordinates({ data, runs }: { data: CompareData; runs: LabelledRun[] }) {
  const [hovered, setHovered] = useState<string | null>(null);
  const inputs = useMemo<AxisInput[]>(() => {
    const params = data.params.filter((p) => p.differs).map((p) => ({ key: `params.${p.key}`, label: p.key, values: p.values }));
    const metrics = data.best.map((b) => ({
      key: `metrics.${b.key}`,
      label: `${b.key} ${b.goal === "min" ? "↓" : "↑"}`,
      values: Object.fromEntries(runs.map(({ run }) => [run.id, run.metrics.find((m) => m.key === b.key)?.last ?? null])),
    }));
    return [...params, ...metrics].slice(0, 16);
  }, [data, runs]);
  const ids = runs.map(({ run }) => run.id);
  const axes = useMemo(() => layoutAxes(inputs, ids), [inputs, ids]);

  if (axes.length < 2) {
    return (
      <Section title="Parallel coordinates">
        <p className="text-sm text-gray-500">Needs at least two axes: params that differ between these runs, or metrics they logged.</p>
      </Section>
    );
  }
  const width = SIDE * 2 + AXIS_GAP * (axes.length - 1);
  const x = (i: number) => SIDE + i * AXIS_GAP;
  const y = (p: number) => TOP + (1 - p) * (HEIGHT - TOP - BOTTOM);
  return (
    <Section title="Parallel coordinates" description="Params that differ between the runs, then every metric (↓ lower is better, ↑ higher); one line per run, broken where a run has no value. Hover a line or a legend entry to follow it.">
      <div className="overflow-x-auto">
        <svg viewBox={`0 0 ${width} ${HEIGHT}`} className="h-auto w-full" style={{ minWidth: Math.min(width, 640) }} role="img" aria-label="Parallel coordinates of params and metrics" data-chart="parallel-coordinates">
          {runs.map(({ run, label, color }) => (
            <path
              key={run.id}
              d={runPath(axes, run.id, x, y)}
              fill="none"
              className={`stroke-${color}-500`}
              strokeWidth={hovered === run.id ? 3 : 1.75}
              strokeOpacity={hovered && hovered !== run.id ? 0.15 : 0.9}
              onMouseEnter={() => setHovered(run.id)}
              onMouseLeave={() => setHovered(null)}
              data-run-line={label}
            >
              <title>{label}</title>
            </path>
          ))}
          {axes.map((axis, i) => (
            <g key={axis.key} data-axis={axis.key}>
              <line x1={x(i)} x2={x(i)} y1={TOP} y2={HEIGHT - BOTTOM} className="stroke-gray-300" strokeWidth={1} />
              <text x={x(i)} y={14} textAnchor="middle" className="fill-gray-700 text-[11px] font-medium" stroke="white" strokeWidth={3} paintOrder="stroke">
                <title>{axis.key}</title>
                {axis.label.length > 19 ? `${axis.label.slice(0, 18)}…` : axis.label}
              </text>
              {axis.ticks.map((t) => (
                <text key={`${t.label}-${t.at}`} x={x(i) - 5} y={y(t.at) + 3} textAnchor="end" className="fill-gray-600 text-[10px]" stroke="white" strokeWidth={3} paintOrder="stroke">
                  {axis.kind === "numeric" ? formatMetric(Number(t.label)) : t.label.length > 14 ? `${t.label.slice(0, 13)}…` : t.label}
                </text>
              ))}
            </g>
          ))}
        </svg>
      </div>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-gray-600">
        {runs.map(({ run, label, color }) => (
          <li key={run.id} onMouseEnter={() => setHovered(run.id)} onMouseLeave={() => setHovered(null)} className="flex cursor-default items-center gap-1.5">
            <span aria-hidden className={`h-2 w-2 rounded-full bg-${color}-500`} />
            {label}
          </li>
        ))}
      </ul>
    </Section>
  );
}
