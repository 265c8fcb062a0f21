"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { EmptyState, ErrorState, FormError, LoadingRows, Section } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";
import { datasetPaths, useDataset } from "../../_components/dataset-context";
import { centrable, LineageGraphView, styleOf } from "./lineage-graph";
import type { PlacedNode } from "./lineage-layout";

type Direction = "upstream" | "downstream" | "both";

const DIRECTIONS: { value: Direction; label: string }[] = [
  { value: "upstream", label: "Upstream" },
  { value: "both", label: "Both" },
  { value: "downstream", label: "Downstream" },
];

const LEGEND = [
  { kind: "dataset", status: null, text: "dataset" },
  { kind: "dataset_version", status: "PASSED", text: "passed" },
  { kind: "dataset_version", status: "FAILED", text: "failed" },
  { kind: "dataset_version", status: "PENDING", text: "checking" },
  { kind: "dataset_version", status: "NO_CONTRACT", text: "no contract" },
];

export function LineageView({ kind, id, direction }: { kind: "dataset" | "dataset_version"; id: string | null; direction: Direction }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org } = useOrg();
  const project = useProject();
  const dataset = useDataset();
  const [openError, setOpenError] = useState<unknown>(null);
  const nodeId = id ?? dataset.id;
  const nodeKind = id ? kind : "dataset";
  const graph = useQuery(trpc.dataset.lineage.queryOptions({ projectId: dataset.projectId, kind: nodeKind, id: nodeId, direction }));
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId: dataset.projectId }));
  const href = (k: "dataset" | "dataset_version", i: string, d: Direction) => `${dataset.paths.lineage(k, i)}${d === "both" ? "" : `&direction=${d}`}`;

  const slugOf = async (datasetId: string) => {
    const list = datasets.data ?? (await queryClient.fetchQuery(trpc.dataset.list.queryOptions({ projectId: dataset.projectId })));
    const found = list.find((d) => d.id === datasetId);
    if (!found) throw new Error("That dataset is no longer in this project");
    return found.slug;
  };

  /** A version's dataset comes from its version_of edge when the graph has it, else from the version itself. */
  const open = async (n: PlacedNode) => {
    setOpenError(null);
    try {
      const paths = (slug: string) => datasetPaths(`/${org.slug}/${project.slug}/datasets`, slug);
      if (n.kind === "run") return router.push(`/${org.slug}/${project.slug}/runs/${n.id}`);
      if (n.kind === "dataset") return router.push(paths(await slugOf(n.id)).base);
      if (n.kind !== "dataset_version") return;
      const owner = graph.data?.edges.find((e) => e.from === n.key && e.relation === "version_of")?.to.split(":")[1];
      const datasetId = owner ?? (await queryClient.fetchQuery(trpc.dataset.version.queryOptions({ projectId: dataset.projectId, versionId: n.id }))).datasetId;
      router.push(paths(await slugOf(datasetId)).version(n.id));
    } catch (err) {
      setOpenError(err);
    }
  };

  return (
    <Section
      title="Lineage"
      description="Where the data came from and what was made from it. Click a box to open it; the dot in its corner centres the graph on it."
      actions={
        <div className="inline-flex rounded-tremor-default border border-gray-200 bg-white p-0.5" role="group" aria-label="Direction">
          {DIRECTIONS.map((d) => (
            <button
              key={d.value}
              type="button"
              aria-pressed={d.value === direction}
              onClick={() => router.push(href(nodeKind, nodeId, d.value))}
              className={`rounded-tremor-small px-3 py-1 text-xs font-medium transition ${d.value === direction ? "bg-blue-600 text-white" : "text-gray-600 hover:bg-gray-100"}`}
            >
              {d.label}
            </button>
          ))}
        </div>
      }
    >
      <FormError error={openError} />
      {graph.isPending ? (
        <LoadingRows rows={4} label="Loading lineage" />
      ) : graph.error ? (
        <ErrorState error={graph.error} onRetry={() => void graph.refetch()} />
      ) : graph.data.nodes.length <= 1 && graph.data.edges.length === 0 ? (
        <EmptyState title="No lineage yet">Nothing was derived from this, and it was not derived from anything.</EmptyState>
      ) : (
        <LineageGraphView graph={graph.data} onOpen={(n) => void open(n)} onCentre={(n) => centrable(n.kind) && router.push(href(n.kind, n.id, direction))} />
      )}
      <ul className="flex flex-wrap gap-4 text-xs text-gray-600" aria-label="Legend">
        {LEGEND.map((l) => (
          <li key={l.text} className="flex items-center gap-1.5">
            <svg width="14" height="14" aria-hidden>
              <rect x="1" y="1" width="12" height="12" rx="3" className={styleOf(l).box} strokeWidth={1.5} />
            </svg>
            {l.text}
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <svg width="26" height="8" aria-hidden>
            <line x1="0" y1="4" x2="26" y2="4" className="stroke-gray-400" strokeWidth={2} />
          </svg>
          derived from
        </li>
        <li className="flex items-center gap-1.5">
          <svg width="26" height="8" aria-hidden>
            <line x1="0" y1="4" x2="26" y2="4" className="stroke-gray-300" strokeWidth={1.5} strokeDasharray="5 4" />
          </svg>
          version of
        </li>
      </ul>
    </Section>
  );
}
