"use client";

import { useState } from "react";
import { Section } from "../../../../_components/states";
import { formatParam } from "../_components/format";
import { Toggle } from "../_components/toggle";
import type { CompareData } from "../_components/types";
import type { LabelledRun } from "./run-labels";
import { RunHeaderCells, stickyCell } from "./table-parts";

/** Params side by side; rows whose values differ between runs are marked, and can be shown alone. */
export function ParamsDiff({ data, runs, runsHref }: { data: CompareData; runs: LabelledRun[]; runsHref: string }) {
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const differing = data.params.filter((p) => p.differs).length;
  const rows = onlyDiffering ? data.params.filter((p) => p.differs) : data.params;

  return (
    <Section
      title="Params"
      description={data.params.length ? `${data.params.length} keys, ${differing} differ between runs.` : undefined}
      actions={
        data.params.length ? (
          <Toggle checked={onlyDiffering} onChange={setOnlyDiffering} label="Only differing" />
        ) : null
      }
    >
      {data.params.length === 0 ? (
        <p className="text-sm text-gray-500">None of these runs logged params.</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-gray-500">Every param has the same value in all runs.</p>
      ) : (
        <div className="max-h-[32rem] overflow-auto">
          <table className="min-w-full text-sm" aria-label="Params by run">
            <thead className="sticky top-0 z-[2] bg-white">
              <tr className="border-b border-gray-200 text-left text-xs text-gray-600">
                <th className={`${stickyCell} px-3 py-2 font-medium`}>Param</th>
                <RunHeaderCells runs={runs} runsHref={runsHref} />
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => {
                const bg = p.differs ? "bg-amber-50" : "bg-white";
                return (
                  <tr key={p.key} data-param-row={p.key} data-differs={p.differs ? "true" : "false"} className={`border-b border-gray-100 ${bg}`}>
                    <th scope="row" className={`sticky left-0 z-[1] px-3 py-1.5 text-left font-normal ${bg}`}>
                      <span className="font-mono text-xs text-gray-900">{p.key}</span>
                      {p.differs ? <span className="ml-2 rounded bg-amber-200 px-1 text-[10px] font-medium uppercase text-amber-900">differs</span> : null}
                    </th>
                    {runs.map(({ run }) => (
                      <td key={run.id} className="max-w-[16rem] truncate px-3 py-1.5 text-right font-mono text-xs text-gray-800" title={formatParam(p.values[run.id])}>
                        {formatParam(p.values[run.id])}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
