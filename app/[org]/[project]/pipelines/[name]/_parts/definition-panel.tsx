"use client";

import type { ReactNode } from "react";
import type { PipelineDetailDto } from "@/server/pipelines/schemas";
import { DateTime } from "../../../../../_components/relative-time";
import { Section } from "../../../../../_components/states";
import { YamlEditor } from "../../_components/yaml-editor";

/** The YAML of the current revision, read-only, and the history of revisions (who sent them: UI, CLI or API). */
export function DefinitionPanel({ pipeline, actions }: { pipeline: PipelineDetailDto; actions?: ReactNode }) {
  return (
    <Section title="Definition" description={`Revision ${pipeline.revision.number} of ${pipeline.revisions.length}, sent from ${pipeline.revision.source}.`} actions={actions}>
      <YamlEditor label="Current pipeline YAML" value={pipeline.yaml} problems={[]} readOnly />
      <div className="text-sm">
        <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">History</h3>
        <ol aria-label="Revisions" className="mt-1 divide-y divide-gray-100">
          {pipeline.revisions.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-3 py-1.5" data-revision={r.number}>
              <span className="font-mono font-medium">r{r.number}</span>
              <span className="text-gray-500">{r.source}</span>
              <code className="font-mono text-xs text-gray-400">{r.sha256.slice(0, 12)}</code>
              <span className="text-gray-500">
                <DateTime date={r.createdAt} />
              </span>
              {r.number === pipeline.revision.number ? <span className="text-xs text-emerald-700">current</span> : null}
            </li>
          ))}
        </ol>
      </div>
    </Section>
  );
}
