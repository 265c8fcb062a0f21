"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useOrg, useProject } from "../../../../../../_components/org-context";
import { DateTime } from "../../../../../../_components/relative-time";
import { formatBytes, formatCount } from "../../../../../../_lib/format";
import type { RouterOutputs } from "../../../../../../_lib/trpc";
import { ProfileBadge, SchemaChangeBadge, ValidationBadge } from "../../../_components/badges";
import { useDataset } from "../../../_components/dataset-context";
import { unusableReason } from "../../../_components/usable";
import { ComparePicker } from "./compare-picker";
import { DeleteVersionButton } from "./delete-version-button";

type Version = RouterOutputs["dataset"]["version"];

const DELIMITER_NAMES: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" };

function Fact({ label, children, title }: { label: string; children: ReactNode; title?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-gray-500">{label}</dt>
      <dd className="mt-0.5 truncate text-sm text-gray-900" title={title}>
        {children}
      </dd>
    </div>
  );
}

export function VersionHeader({ version: v }: { version: Version }) {
  const { org, can } = useOrg();
  const project = useProject();
  const { paths } = useDataset();
  const refusal = !can("MEMBER") ? "Members and above can start training" : unusableReason(v);
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-5 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 className="flex items-center gap-2 text-lg font-semibold text-gray-900">
            Version {v.number}
            <ProfileBadge status={v.profileStatus} error={v.profileError} />
            <ValidationBadge status={v.validation} />
            {v.schemaChange ? <SchemaChangeBadge change={v.schemaChange} /> : null}
          </h3>
          <p className="mt-0.5 text-sm text-gray-500">
            {v.fileName} · uploaded by {v.createdBy} on <DateTime date={v.createdAt} />
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <ComparePicker version={v} />
          {refusal ? (
            <span title={refusal} aria-disabled="true" className="cursor-not-allowed rounded-tremor-small border border-gray-200 bg-gray-50 px-2.5 py-1.5 text-xs font-medium text-gray-400">
              Train on this version
            </span>
          ) : (
            <Link
              href={`/${org.slug}/${project.slug}/runs/new?dataset=${v.datasetId}&version=${v.id}`}
              className="rounded-tremor-small border border-blue-600 bg-blue-600 px-2.5 py-1.5 text-xs font-medium text-white shadow-tremor-input hover:bg-blue-700"
            >
              Train on this version
            </Link>
          )}
          <Link href={paths.lineage("dataset_version", v.id)} className="rounded-tremor-small border border-gray-300 bg-white px-2.5 py-1.5 text-xs font-medium text-gray-700 shadow-tremor-input hover:bg-gray-50">
            View lineage
          </Link>
          <DeleteVersionButton version={v} />
        </div>
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4 lg:grid-cols-8">
        <Fact label="SHA-256" title={v.sha256}>
          <span className="font-mono" data-sha>
            {v.sha256.slice(0, 8)}
          </span>
        </Fact>
        <Fact label="Size">{formatBytes(v.sizeBytes)}</Fact>
        <Fact label="Format">{v.format.toLowerCase()}</Fact>
        <Fact label="Encoding">{v.encoding ?? "—"}</Fact>
        <Fact label="Delimiter">{v.delimiter ? (DELIMITER_NAMES[v.delimiter] ?? v.delimiter) : "—"}</Fact>
        <Fact label="Rows">{v.rowCount !== null ? formatCount(v.rowCount) : "—"}</Fact>
        <Fact label="Columns">{v.columns.length}</Fact>
        <Fact label="Split" title={v.split.keyColumn ? `by a hash of ${v.split.keyColumn}, seed ${v.split.seed}` : `by row order, seed ${v.split.seed}`}>
          {v.split.keyColumn ? `by ${v.split.keyColumn}` : "by row"} · seed {v.split.seed}
        </Fact>
      </dl>
      {v.parents.length > 0 || v.transform ? (
        <div className="mt-4 flex flex-wrap gap-x-8 gap-y-2 border-t border-gray-100 pt-4 text-sm">
          <div>
            <span className="text-gray-500">Derived from </span>
            {v.parents.map((p, i) => (
              <span key={p.id}>
                {i > 0 ? ", " : null}
                <Link href={`/${org.slug}/${project.slug}/datasets/${p.datasetSlug}/versions/${p.id}`} className="font-mono text-blue-700 hover:underline">
                  {p.datasetSlug} v{p.number}
                </Link>
              </span>
            ))}
          </div>
          {v.transform ? (
            <div className="min-w-0" data-transform>
              <span className="text-gray-500">Transform </span>
              <span className="font-medium text-gray-900">{v.transform.name}</span>
              {v.transform.repo ? <span className="ml-2 font-mono text-xs text-gray-500">{v.transform.repo}</span> : null}
              {v.transform.commit ? <span className="ml-1 font-mono text-xs text-gray-500">@{v.transform.commit.slice(0, 10)}</span> : null}
              {v.transform.params && Object.keys(v.transform.params).length > 0 ? (
                <code className="ml-2 rounded bg-gray-100 px-1.5 py-0.5 text-xs text-gray-700">{JSON.stringify(v.transform.params)}</code>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
