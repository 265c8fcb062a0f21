"use client";

import { Section } from "../../../../../../_components/states";
import { formatCount, formatPercent } from "../../../../../../_lib/format";
import type { RouterOutputs } from "../../../../../../_lib/trpc";
import { SPLITS } from "@/server/datasets/schemas";
import { useDataset } from "../../../_components/dataset-context";

type Version = RouterOutputs["dataset"]["version"];

/** Split sizes with a download per split; a version not (yet) passing validation downloads only as "unvalidated". */
export function SplitsCard({ version: v }: { version: Version }) {
  const dataset = useDataset();
  const usable = v.profileStatus === "READY" && (v.validation === "PASSED" || v.validation === "NO_CONTRACT");
  const href = (split: string, format: "csv" | "jsonl") =>
    `/api/v1/projects/${dataset.projectId}/datasets/${dataset.id}/versions/${v.id}/splits/${split}?format=${format}${usable ? "" : "&unvalidated=1"}`;
  const total = v.splitCounts ? SPLITS.reduce((s, k) => s + (v.splitCounts?.[k] ?? 0), 0) : 0;
  return (
    <Section
      title="Splits"
      description={
        usable
          ? "Reproducible: the same rows land in the same split on every read."
          : "This version has not passed validation; downloads are marked unvalidated and training refuses it."
      }
    >
      <ul className="grid gap-3 sm:grid-cols-3" aria-label="Splits">
        {SPLITS.map((split) => {
          const count = v.splitCounts?.[split];
          return (
            <li key={split} className="rounded-lg border border-gray-200 p-3" data-split={split}>
              <p className="text-xs font-medium uppercase tracking-wide text-gray-500">
                {split} <span className="font-normal normal-case text-gray-400">({formatPercent(v.split.ratios[split], 0)} target)</span>
              </p>
              <p className="mt-1 text-2xl font-semibold tabular-nums text-gray-900" data-split-count>
                {count !== undefined ? formatCount(count) : "—"}
              </p>
              <p className="text-xs text-gray-400">{count !== undefined && total > 0 ? `${formatPercent(count / total)} of rows` : "counted while profiling"}</p>
              {v.profileStatus === "READY" ? (
                <p className="mt-2 flex gap-3 text-xs">
                  <a href={href(split, "csv")} download className="text-blue-700 hover:underline" aria-label={`Download ${split} split as CSV`}>
                    CSV
                  </a>
                  <a href={href(split, "jsonl")} download className="text-blue-700 hover:underline" aria-label={`Download ${split} split as JSON Lines`}>
                    JSON Lines
                  </a>
                  {usable ? null : <span className="text-amber-600">unvalidated</span>}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
