"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useOrg, useProject } from "../../../../../../_components/org-context";
import { Section } from "../../../../../../_components/states";
import { useModel } from "../../../_components/model-context";
import type { VersionDetail } from "./types";

function Node({ kind, children }: { kind: string; children: ReactNode }) {
  return (
    <div className="min-w-[10rem] rounded-lg border border-gray-200 bg-white px-3 py-2 text-sm shadow-sm" data-lineage-node={kind}>
      <p className="text-[10px] font-medium uppercase tracking-wide text-gray-400">{kind}</p>
      <div className="mt-0.5">{children}</div>
    </div>
  );
}

const Arrow = () => (
  <span aria-hidden className="self-center text-lg text-gray-300">
    →
  </span>
);

/** Data versions → run → this version, each a link, and the facts that make the run repeatable. */
export function LineagePanel({ version }: { version: VersionDetail }) {
  const { org } = useOrg();
  const project = useProject();
  const model = useModel();
  const base = `/${org.slug}/${project.slug}`;
  const lineage = version.lineage;

  if (lineage.source === "external") {
    return (
      <Section title="Lineage">
        <div className="flex flex-wrap gap-3" aria-label="Lineage">
          <Node kind="external file">{lineage.fileName ?? "uploaded ONNX"}</Node>
          <Arrow />
          <Node kind="model version">
            {model.name} v{version.number}
          </Node>
        </div>
        <p className="text-xs text-gray-500">Uploaded as a file: no run, data or code is known for it.</p>
      </Section>
    );
  }
  const datasets = lineage.datasets;
  const splits = datasets ? [datasets.train, datasets.validation, datasets.test] : [];
  // The three splits usually come from one dataset version; show that version once with its splits.
  const byVersion = new Map<string, { ref: (typeof splits)[number]; splits: string[] }>();
  for (const ref of splits) {
    const seen = byVersion.get(ref.versionId);
    if (seen) seen.splits.push(ref.split);
    else byVersion.set(ref.versionId, { ref, splits: [ref.split] });
  }

  return (
    <Section title="Lineage" description="Where this version came from: the data it was trained and tested on, the run, the code.">
      <div className="flex flex-wrap items-stretch gap-3" aria-label="Lineage">
        {byVersion.size > 0 ? (
          <div className="flex flex-col gap-2">
            {[...byVersion.values()].map(({ ref, splits: names }) => (
              <Node key={ref.versionId} kind="data">
                <Link href={`${base}/datasets/${ref.dataset}/versions/${ref.versionId}`} className="font-medium text-blue-700 hover:underline">
                  {ref.dataset} v{ref.number}
                </Link>
                <span className="block text-xs text-gray-500">{names.join(" · ")}</span>
              </Node>
            ))}
          </div>
        ) : (
          <Node kind="data">
            <span className="text-gray-400">not recorded (client-logged run)</span>
          </Node>
        )}
        <Arrow />
        <Node kind="run">
          <Link href={`${base}/runs/${lineage.run.id}`} className="font-medium text-blue-700 hover:underline">
            {lineage.run.name} #{lineage.run.number}
          </Link>
          <span className="block text-xs text-gray-500">{lineage.run.experiment.name}</span>
        </Node>
        <Arrow />
        <Node kind="model version">
          <span className="font-medium text-gray-900">
            {model.name} v{version.number}
          </span>
        </Node>
      </div>
      <dl className="grid gap-x-8 gap-y-2 text-sm sm:grid-cols-3">
        <Fact label="Trainer">{lineage.trainer ?? "—"}</Fact>
        <Fact label="Target">{lineage.target ?? "—"}</Fact>
        <Fact label="Code">
          {lineage.code.repo || lineage.code.commit ? (
            <span className="font-mono text-xs">
              {lineage.code.repo ?? "?"}@{lineage.code.commit?.slice(0, 12) ?? "?"}
              {lineage.code.dirty ? " (dirty)" : ""}
            </span>
          ) : (
            "not recorded"
          )}
        </Fact>
      </dl>
      {Object.keys(lineage.params).length > 0 ? (
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-gray-500">Params</p>
          <ul className="mt-1 flex flex-wrap gap-1.5" aria-label="Params">
            {Object.entries(lineage.params).map(([k, val]) => (
              <li key={k} className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs text-gray-700">
                {k}={typeof val === "string" ? val : JSON.stringify(val)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</dt>
      <dd className="mt-0.5 break-words text-gray-900">{children}</dd>
    </div>
  );
}
