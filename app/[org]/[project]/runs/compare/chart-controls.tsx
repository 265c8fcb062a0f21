"use client";

import type { ChartOptions } from "../_components/chart-data";
import { Toggle } from "../_components/toggle";

type Options = Omit<ChartOptions, "bins">;

export function ChartControls({ options, onChange }: { options: Options; onChange: (o: Options) => void }) {
  const set = (change: Partial<Options>) => onChange({ ...options, ...change });
  return (
    <div role="group" aria-label="Chart options" className="flex flex-wrap items-center gap-x-8 gap-y-3 rounded-lg border border-gray-200 bg-white px-4 py-3 text-sm">
      <div className="flex items-center gap-2">
        <span className="text-gray-600">X axis</span>
        <div className="inline-flex overflow-hidden rounded-md border border-gray-300">
          {(["step", "time"] as const).map((axis) => (
            <button
              key={axis}
              type="button"
              aria-pressed={options.xAxis === axis}
              onClick={() => set({ xAxis: axis })}
              className={`px-3 py-1 ${options.xAxis === axis ? "bg-blue-600 text-white" : "bg-white text-gray-700 hover:bg-gray-50"}`}
            >
              {axis === "step" ? "Step" : "Relative time"}
            </button>
          ))}
        </div>
      </div>
      <label className="flex items-center gap-2">
        <span className="text-gray-600">Smoothing</span>
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={options.smoothing}
          onChange={(e) => set({ smoothing: Number(e.target.value) })}
          aria-label="Smoothing"
          className="w-40 accent-blue-600"
        />
        <span className="w-8 tabular-nums text-gray-900">{options.smoothing.toFixed(2)}</span>
      </label>
      <Toggle checked={options.log} onChange={(log) => set({ log })} label="Log scale" />
    </div>
  );
}
