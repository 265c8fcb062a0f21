"use client";

import { ScatterChart, Select, SelectItem } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Section } from "../../../../_components/states";
import { formatMetric } from "./format";
import { cellValue, columnId, columnLabel, parseColumnId, rankingMetric, type availableKeys, type RunRow } from "./columns";

const CREATED = "created";

/** Every listed run as a dot: a metric against a param, another metric or time. A click opens the run. */
export function RunsScatter({ runs, keys, primaryMetric, runHref }: { runs: RunRow[]; keys: ReturnType<typeof availableKeys>; primaryMetric: string | null; runHref: (id: string) => string }) {
  const router = useRouter();
  const ranking = rankingMetric(runs, primaryMetric);
  const numericParams = keys.params.filter((k) => runs.some((r) => typeof r.params[k] === "number"));
  const xOptions = [CREATED, ...numericParams.map((k) => columnId("param", k)), ...keys.metrics.map((k) => columnId("metric", k))];
  const yOptions = keys.metrics.map((k) => columnId("metric", k));
  const [xChoice, setX] = useState("");
  const [yChoice, setY] = useState("");
  const y = yOptions.includes(yChoice) ? yChoice : ranking && yOptions.includes(columnId("metric", ranking)) ? columnId("metric", ranking) : yOptions[0];
  const x = xOptions.includes(xChoice) ? xChoice : CREATED;
  if (!y) {
    return (
      <Section title="All runs">
        <p className="text-sm text-gray-500">These runs logged no metrics yet.</p>
      </Section>
    );
  }
  const yColumn = parseColumnId(y)!;
  const xColumn = x === CREATED ? null : parseColumnId(x)!;
  const xLabel = xColumn ? `${xColumn.kind === "param" ? "params" : "metrics"}.${columnLabel(xColumn)}` : "created";
  const yLabel = `metrics.${columnLabel(yColumn)}`;
  const points = runs.flatMap((r) => {
    const px = xColumn ? cellValue(r, xColumn) : r.createdAt.getTime();
    const py = cellValue(r, yColumn);
    return typeof px === "number" && Number.isFinite(px) && typeof py === "number" && Number.isFinite(py) ? [{ id: r.id, run: r.name, experiment: r.experiment, x: px, y: py }] : [];
  });
  return (
    <Section
      title="All runs"
      description={`${points.length.toLocaleString("en")} of ${runs.length.toLocaleString("en")} listed runs have both values; colour shows the experiment. Click a dot to open its run.`}
      actions={
        <div className="flex flex-wrap gap-2">
          <Select value={y} onValueChange={setY} enableClear={false} aria-label="Scatter y" className="w-52">
            {yOptions.map((k) => (
              <SelectItem key={k} value={k}>
                {k}
              </SelectItem>
            ))}
          </Select>
          <span className="self-center text-sm text-gray-500">against</span>
          <Select value={x} onValueChange={setX} enableClear={false} aria-label="Scatter x" className="w-52">
            {xOptions.map((k) => (
              <SelectItem key={k} value={k}>
                {k === CREATED ? "time created" : k}
              </SelectItem>
            ))}
          </Select>
        </div>
      }
    >
      {points.length === 0 ? (
        <p className="text-sm text-gray-500">No listed run has both a numeric {xLabel} and a finite {yLabel}.</p>
      ) : (
        <ScatterChart
          className="h-80"
          data={points}
          x="x"
          y="y"
          category="experiment"
          valueFormatter={{ x: xColumn ? formatMetric : (v: number) => new Date(v).toLocaleDateString("en", { month: "short", day: "numeric" }), y: formatMetric }}
          xAxisLabel={xLabel}
          yAxisLabel={yLabel}
          yAxisWidth={64}
          autoMinXValue
          autoMinYValue
          showAnimation={false}
          enableLegendSlider
          onValueChange={(v) => {
            const id = (v as { id?: unknown } | null)?.id;
            if (typeof id === "string") router.push(runHref(id));
          }}
          data-chart="runs-scatter"
        />
      )}
    </Section>
  );
}
