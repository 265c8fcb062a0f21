"use client";

import { formatStat } from "../../../../_lib/format";

export interface IntervalRow {
  label: string;
  estimate: number;
  lower: number | null;
  upper: number | null;
  /** Drawn in the pass / fail colour; undefined draws it neutral. */
  passed?: boolean;
  note?: string;
}

export interface ReferenceLine {
  value: number;
  label: string;
  kind: "zero" | "threshold";
}

const ROW_H = 34;
const LABEL_W = 150;
const PLOT_W = 460;
const PAD = 16;
const AXIS_H = 46;

function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / 4));
  const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / unit) * unit; t <= hi + unit * 1e-9; t += unit) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * Confidence intervals as horizontal bars with their point estimate, against a zero line and the
 * policy's threshold, so that "entirely on the better side of the threshold" can be seen. A small SVG
 * rather than a Tremor chart: Tremor has no interval (error bar) chart.
 */
export function IntervalChart({ rows, references = [], label, caption }: { rows: IntervalRow[]; references?: ReferenceLine[]; label: string; caption?: string }) {
  const values = [...rows.flatMap((r) => [r.estimate, r.lower, r.upper]), ...references.map((r) => r.value)].filter((v): v is number => v !== null && Number.isFinite(v));
  if (rows.length === 0 || values.length === 0) return <p className="text-sm text-gray-500">No interval to draw: {label} could not be computed.</p>;
  const rawLo = Math.min(...values);
  const rawHi = Math.max(...values);
  const margin = (rawHi - rawLo || Math.abs(rawHi) || 1) * 0.08;
  const lo = rawLo - margin;
  const hi = rawHi + margin;
  const x = (v: number) => LABEL_W + ((v - lo) / (hi - lo)) * PLOT_W;
  const height = rows.length * ROW_H + AXIS_H + PAD;
  const width = LABEL_W + PLOT_W + PAD * 2;
  const plotBottom = PAD + rows.length * ROW_H;

  return (
    <figure className="space-y-1" data-chart="interval" aria-label={label}>
      <svg viewBox={`0 0 ${width} ${height}`} className="w-full max-w-3xl" role="img" aria-label={label}>
        {niceTicks(lo, hi).map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={PAD} y2={plotBottom} className="stroke-gray-100" />
            <text x={x(t)} y={plotBottom + 14} textAnchor="middle" className="fill-gray-500 text-[10px]">
              {formatStat(t)}
            </text>
          </g>
        ))}
        {references.map((r, i) => (
          <g key={`${r.kind}-${r.value}`} data-reference={r.kind}>
            <line x1={x(r.value)} x2={x(r.value)} y1={PAD - 6} y2={plotBottom} strokeDasharray={r.kind === "zero" ? undefined : "4 3"} className={r.kind === "zero" ? "stroke-gray-500" : "stroke-amber-500"} strokeWidth={1.5} />
            <text x={x(r.value)} y={plotBottom + 27 + (i % 2) * 11} textAnchor="middle" className={r.kind === "zero" ? "fill-gray-600 text-[10px]" : "fill-amber-700 text-[10px]"}>
              {r.label}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = PAD + i * ROW_H + ROW_H / 2;
          const color = r.passed === undefined ? "blue" : r.passed ? "emerald" : "rose";
          const stroke = { blue: "stroke-blue-500", emerald: "stroke-emerald-500", rose: "stroke-rose-500" }[color];
          const fill = { blue: "fill-blue-600", emerald: "fill-emerald-600", rose: "fill-rose-600" }[color];
          return (
            <g key={r.label} data-interval={r.label}>
              <text x={LABEL_W - 8} y={y + 4} textAnchor="end" className="fill-gray-700 text-[11px]">
                {r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label}
              </text>
              {r.lower !== null && r.upper !== null ? (
                <>
                  <line x1={x(r.lower)} x2={x(r.upper)} y1={y} y2={y} className={stroke} strokeWidth={3} strokeLinecap="round" />
                  <line x1={x(r.lower)} x2={x(r.lower)} y1={y - 6} y2={y + 6} className={stroke} strokeWidth={2} />
                  <line x1={x(r.upper)} x2={x(r.upper)} y1={y - 6} y2={y + 6} className={stroke} strokeWidth={2} />
                </>
              ) : null}
              <circle cx={x(r.estimate)} cy={y} r={4.5} className={fill}>
                <title>
                  {`${r.label}: ${formatStat(r.estimate)}${r.lower !== null && r.upper !== null ? ` [${formatStat(r.lower)}, ${formatStat(r.upper)}]` : ""}${r.note ? ` · ${r.note}` : ""}`}
                </title>
              </circle>
            </g>
          );
        })}
      </svg>
      {caption ? <figcaption className="text-xs text-gray-500">{caption}</figcaption> : null}
    </figure>
  );
}
