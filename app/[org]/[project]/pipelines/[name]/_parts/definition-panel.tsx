"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { PipelineDetailDto } from "@/server/pipelines/schemas";
import { useTRPC } from "../../../../../_lib/trpc";
import { DateTime } from "../../../../../_components/relative-time";
import { ErrorState, Section } from "../../../../../_components/states";
import { YamlEditor } from "../../_components/yaml-editor";

/** The YAML of the current revision (or of one picked in the history), read-only, and the history of revisions (sent from the UI, CLI or API). */
export function DefinitionPanel({ pipeline, actions }: { pipeline: PipelineDetailDto; actions?: ReactNode }) {
  const trpc = useTRPC();
  const current = pipeline.revision.number;
  const [shown, setShown] = useState(current);
  const older = useQuery({ ...trpc.pipeline.revision.queryOptions({ projectId: pipeline.projectId, pipelineId: pipeline.id, number: shown }), enabled: shown !== current });
  const yaml = shown === current ? pipeline.yaml : older.data?.yaml;
  return (
    <Section title="Definition" description={`Revision ${current} of ${pipeline.revisions.length}, sent from ${pipeline.revision.source}.`} actions={actions}>
      {older.error && shown !== current ? (
        <ErrorState error={older.error} />
      ) : yaml === undefined ? (
        <p className="text-sm text-gray-500">Loading revision {shown}…</p>
      ) : (
        <YamlEditor label={shown === current ? "Current pipeline YAML" : `Pipeline YAML of revision ${shown}`} value={yaml} problems={[]} readOnly />
      )}
      <div className="text-sm">
        <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">History</h3>
        <ol aria-label="Revisions" className="mt-1 divide-y divide-gray-100">
          {pipeline.revisions.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-3 py-1.5" data-revision={r.number}>
              <button type="button" onClick={() => setShown(r.number)} aria-pressed={r.number === shown} className={`font-mono font-medium ${r.number === shown ? "text-indigo-700 underline" : "text-gray-900 hover:underline"}`}>
                r{r.number}
              </button>
              <span className="text-gray-500">{r.source}</span>
              <code className="font-mono text-xs text-gray-400">{r.sha256.slice(0, 12)}</code>
              <span className="text-gray-500">
                <DateTime date={r.createdAt} />
              </span>
              {r.number === current ? <span className="text-xs text-emerald-700">current</span> : null}
            </li>
          ))}
        </ol>
      </div>
    </Section>
  );
}
