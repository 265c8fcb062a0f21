/**
 * Parallel coordinates: one vertical axis per param or metric, one polyline per run. Numeric axes
 * scale linearly between the runs' own extremes; other values (text, booleans) are spread evenly in
 * sorted order. A run without a value on an axis breaks its line there.
 */

export interface AxisInput {
  key: string;
  label: string;
  /** Per run id; null or undefined when the run has no value. */
  values: Record<string, unknown>;
}

export interface Axis {
  key: string;
  label: string;
  kind: "numeric" | "categorical";
  /** Tick labels from bottom to top (numeric: min and max; categorical: every value, at most a dozen). */
  ticks: { label: string; at: number }[];
  /** 0 (bottom) … 1 (top) for each run with a value on this axis. */
  position: Map<string, number>;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());

export function layoutAxes(inputs: readonly AxisInput[], runIds: readonly string[]): Axis[] {
  return inputs.map((input) => {
    const present = runIds.filter((id) => input.values[id] !== null && input.values[id] !== undefined && !(typeof input.values[id] === "number" && !Number.isFinite(input.values[id])));
    const numeric = present.length > 0 && present.every((id) => typeof input.values[id] === "number");
    const position = new Map<string, number>();
    if (numeric) {
      const xs = present.map((id) => input.values[id] as number);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      for (const id of present) position.set(id, hi === lo ? 0.5 : ((input.values[id] as number) - lo) / (hi - lo));
      const ticks = hi === lo ? [{ label: fmt(lo), at: 0.5 }] : [{ label: fmt(lo), at: 0 }, { label: fmt(hi), at: 1 }];
      return { key: input.key, label: input.label, kind: "numeric", ticks, position };
    }
    const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    const distinct = [...new Set(present.map((id) => text(input.values[id])))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const at = (i: number) => (distinct.length === 1 ? 0.5 : i / (distinct.length - 1));
    const index = new Map(distinct.map((v, i) => [v, at(i)]));
    for (const id of present) position.set(id, index.get(text(input.values[id]))!);
    const every = Math.max(1, Math.ceil(distinct.length / 12));
    const ticks = distinct.map((label, i) => ({ label, at: at(i) })).filter((_, i) => i % every === 0);
    return { key: input.key, label: input.label, kind: "categorical", ticks, position };
  });
}

/** The polyline of one run as SVG path segments: a missing value ends one segment and starts the next. */
export function runPath(axes: readonly Axis[], runId: string, x: (axis: number) => number, y: (pos: number) => number): string {
  let d = "";
  let drawing = false;
  axes.forEach((axis, i) => {
    const p = axis.position.get(runId);
    if (p === undefined) {
      drawing = false;
      return;
    }
    d += `${drawing ? "L" : "M"}${x(i).toFixed(1)},${y(p).toFixed(1)}`;
    drawing = true;
  });
  return d;
}
