"use client";

import { Callout } from "@tremor/react";
import Link from "next/link";
import { Section } from "../../../../_components/states";
import type { CompareData } from "../_components/types";
import type { LabelledRun } from "./run-labels";
import { RunHeaderCells, stickyCell } from "./table-parts";

/** What each run learned from, and a warning when the runs did not learn from the same thing. */
export function DataSection({ data, runs, runsHref, datasetsHref }: { data: CompareData; runs: LabelledRun[]; runsHref: string; datasetsHref: string }) {
  const byRun = new Map(data.data.map((d) => [d.runId, d]));
  return (
    <Section title="Data" description="The dataset versions each run was trained on and the column it predicts.">
      {data.warnings.length ? (
        <Callout title="These runs are not directly comparable" color="amber" role="status" data-compare-warning>
          <ul className="list-disc space-y-1 pl-4">
            {data.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Callout>
      ) : null}
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" aria-label="Data by run">
          <thead>
            <tr className="border-b border-gray-200 text-left text-xs text-gray-600">
              <th className={`${stickyCell} px-3 py-2 font-medium`}>&nbsp;</th>
              <RunHeaderCells runs={runs} runsHref={runsHref} />
            </tr>
          </thead>
          <tbody>
            <tr className="border-b border-gray-100" data-data-row="inputs">
              <th scope="row" className={`${stickyCell} px-3 py-1.5 text-left text-xs font-normal text-gray-600`}>
                Trained on
              </th>
              {runs.map(({ run }) => {
                const inputs = byRun.get(run.id)?.inputs ?? [];
                return (
                  <td key={run.id} className="px-3 py-1.5 text-right text-xs">
                    {inputs.length === 0 ? (
                      <span className="text-gray-400">not recorded</span>
                    ) : (
                      inputs.map((i) => (
                        <Link key={i.versionId} href={`${datasetsHref}/${i.datasetSlug}/versions/${i.versionId}`} className="block truncate text-blue-700 hover:underline">
                          {i.datasetName} v{i.number}
                        </Link>
                      ))
                    )}
                  </td>
                );
              })}
            </tr>
            <tr className="border-b border-gray-100" data-data-row="target">
              <th scope="row" className={`${stickyCell} px-3 py-1.5 text-left text-xs font-normal text-gray-600`}>
                Target
              </th>
              {runs.map(({ run }) => (
                <td key={run.id} className="px-3 py-1.5 text-right font-mono text-xs text-gray-800">
                  {byRun.get(run.id)?.target ?? <span className="font-sans text-gray-400">—</span>}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </Section>
  );
}
