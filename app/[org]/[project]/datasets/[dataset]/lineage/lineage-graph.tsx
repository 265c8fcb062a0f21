"use client";

import { useEffect, useRef, type KeyboardEvent } from "react";
import { layout, NODE_H, NODE_W, type LineageGraph, type PlacedNode } from "./lineage-layout";
import type { RunStatus } from "@/server/runs/schemas";
import { RUN_STATUS_LABEL } from "../../../runs/_components/run-status-badge";

const STATUS_STYLE: Record<string, { box: string; text: string; label: string }> = {
  PASSED: { box: "fill-emerald-50 stroke-emerald-500", text: "fill-emerald-700", label: "passed" },
  FAILED: { box: "fill-rose-50 stroke-rose-500", text: "fill-rose-700", label: "failed" },
  PENDING: { box: "fill-gray-50 stroke-gray-400", text: "fill-gray-500", label: "checking" },
  NO_CONTRACT: { box: "fill-slate-50 stroke-slate-400", text: "fill-slate-500", label: "no contract" },
};
const DATASET_STYLE = { box: "fill-indigo-50 stroke-indigo-400", text: "fill-indigo-700", label: "dataset" };
const RUN_STYLE: Record<string, { box: string; text: string }> = {
  COMPLETED: { box: "fill-sky-50 stroke-sky-500", text: "fill-sky-700" },
  RUNNING: { box: "fill-sky-50 stroke-sky-400", text: "fill-sky-600" },
  FAILED: { box: "fill-rose-50 stroke-rose-500", text: "fill-rose-700" },
};

/** Data is coloured by validation; runs (which the lineage may reach through trained_on edges) by their state. */
export function styleOf(n: { kind: string; status: string | null }) {
  if (n.kind === "dataset") return DATASET_STYLE;
  if (n.kind === "dataset_version") return STATUS_STYLE[n.status ?? ""] ?? STATUS_STYLE.PENDING!;
  const run = RUN_STYLE[n.status ?? ""] ?? { box: "fill-white stroke-gray-400", text: "fill-gray-600" };
  return { ...run, label: n.status && n.status in RUN_STATUS_LABEL ? RUN_STATUS_LABEL[n.status as RunStatus] : (n.status ?? n.kind).toLowerCase() };
}

/** The lineage procedure can be centred on data nodes only. */
export const centrable = (kind: string): kind is "dataset" | "dataset_version" => kind === "dataset" || kind === "dataset_version";

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

interface Props {
  graph: LineageGraph;
  onOpen: (node: PlacedNode) => void;
  onCentre: (node: PlacedNode) => void;
}

/** The lineage as boxes and arrows; the root is outlined and scrolled to the middle of the view. */
export function LineageGraphView({ graph, onOpen, onCentre }: Props) {
  const { nodes, edges, width, height } = layout(graph);
  const scroller = useRef<HTMLDivElement>(null);
  const root = nodes.find((n) => n.root);
  const rootX = root?.x;
  const rootY = root?.y;

  useEffect(() => {
    const el = scroller.current;
    if (!el || rootX === undefined || rootY === undefined) return;
    el.scrollTo({ left: rootX + NODE_W / 2 - el.clientWidth / 2, top: rootY + NODE_H / 2 - el.clientHeight / 2, behavior: "smooth" });
  }, [rootX, rootY]);

  const keyOpen = (e: KeyboardEvent, n: PlacedNode) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onOpen(n);
    }
  };

  return (
    <div ref={scroller} className="max-h-[32rem] overflow-auto rounded-lg border border-gray-200 bg-[radial-gradient(circle,#e5e7eb_1px,transparent_1px)] bg-[length:16px_16px]">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Lineage graph" className="block min-w-full">
        <defs>
          <marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="fill-gray-400" />
          </marker>
        </defs>
        {edges.map((e) => (
          <path
            key={e.key}
            d={e.path}
            fill="none"
            className={e.relation === "version_of" ? "stroke-gray-300" : "stroke-gray-400"}
            strokeWidth={e.relation === "version_of" ? 1.5 : 2}
            strokeDasharray={e.relation === "version_of" ? "5 4" : undefined}
            markerEnd="url(#lineage-arrow)"
            data-edge={e.relation}
          >
            <title>{e.relation.replace(/_/g, " ")}</title>
          </path>
        ))}
        {nodes.map((n) => {
          const s = styleOf(n);
          return (
            <g key={n.key} transform={`translate(${n.x} ${n.y})`} data-lineage-node={n.key} data-root={n.root || undefined} data-status={n.status ?? n.kind}>
              <g role="link" tabIndex={0} aria-label={`Open ${n.label}`} className="cursor-pointer outline-none [&:focus-visible>rect]:stroke-blue-600" onClick={() => onOpen(n)} onKeyDown={(e) => keyOpen(e, n)}>
                {n.root ? <rect x={-5} y={-5} width={NODE_W + 10} height={NODE_H + 10} rx={12} className="fill-none stroke-blue-500" strokeWidth={2} strokeDasharray="4 3" /> : null}
                <rect width={NODE_W} height={NODE_H} rx={8} className={`${s.box} transition hover:brightness-95`} strokeWidth={n.root ? 2.5 : 1.5} />
                {/* Boxes other than the root keep room for the centre dot in their corner. */}
                <text x={12} y={22} className="fill-gray-900 text-[12px] font-semibold">
                  {clip(n.label, n.root ? 27 : 24)}
                </text>
                <text x={12} y={42} className="fill-gray-500 text-[11px]">
                  {clip(n.detail, 20)}
                </text>
                <text x={NODE_W - 12} y={42} textAnchor="end" className={`${s.text} text-[11px] font-medium`}>
                  {s.label}
                </text>
                <title>{`${n.label} — ${n.detail}`}</title>
              </g>
              {n.root || !centrable(n.kind) ? null : (
                <g role="button" tabIndex={0} aria-label={`Centre on ${n.label}`} className="cursor-pointer" onClick={() => onCentre(n)} onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && onCentre(n)}>
                  <circle cx={NODE_W - 14} cy={14} r={9} className="fill-white stroke-gray-300 hover:stroke-blue-500" />
                  <circle cx={NODE_W - 14} cy={14} r={3} className="fill-gray-400" />
                  <title>Centre the graph here</title>
                </g>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
