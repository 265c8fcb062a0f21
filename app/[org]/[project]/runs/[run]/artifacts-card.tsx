"use client";

import { useState } from "react";
import { useProject } from "../../../../_components/org-context";
import { Section } from "../../../../_components/states";
import { formatBytes } from "../../../../_lib/format";
import type { RunDetail } from "../_components/types";
import { ArtifactViewer, artifactUrl } from "./artifact-viewer";

export function ArtifactsCard({ run }: { run: RunDetail }) {
  const project = useProject();
  const [picked, setPicked] = useState<string | null>(null);
  const artifacts = [...run.artifacts].sort((a, b) => a.path.localeCompare(b.path));
  const current = artifacts.find((a) => a.path === picked) ?? artifacts[0];

  return (
    <Section title="Artifacts" description={artifacts.length ? `${artifacts.length} stored` : undefined}>
      {!current ? (
        <p className="text-sm text-gray-500">
          No artifacts. Scripts upload them with <code className="font-mono text-xs">run.log_artifact(path)</code> or a PUT to the artifacts endpoint.
        </p>
      ) : (
        <div className="grid gap-4 md:grid-cols-[16rem_1fr]">
          <ul aria-label="Artifacts" className="max-h-[28rem] space-y-0.5 overflow-y-auto">
            {artifacts.map((a) => (
              <li key={a.path}>
                <button
                  type="button"
                  onClick={() => setPicked(a.path)}
                  aria-current={a.path === current.path ? "true" : undefined}
                  className={`flex w-full items-baseline justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm ${a.path === current.path ? "bg-blue-50 text-blue-800" : "text-gray-700 hover:bg-gray-100"}`}
                >
                  <span className="min-w-0 truncate font-mono text-xs" title={a.path}>
                    {a.path}
                  </span>
                  <span className="shrink-0 text-xs text-gray-400">{formatBytes(a.sizeBytes)}</span>
                </button>
              </li>
            ))}
          </ul>
          <ArtifactViewer key={current.path} artifact={current} url={artifactUrl(project.id, run.id, current.path)} />
        </div>
      )}
    </Section>
  );
}
