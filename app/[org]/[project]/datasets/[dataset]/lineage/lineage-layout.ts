import type { RouterOutputs } from "../../../../../_lib/trpc";

export type LineageGraph = RouterOutputs["dataset"]["lineage"];
export type LineageNode = LineageGraph["nodes"][number];

export const NODE_W = 212;
export const NODE_H = 60;
const COL_GAP = 64;
const ROW_GAP = 24;
const PAD = 16;

export interface PlacedNode extends LineageNode {
  x: number;
  y: number;
}

export interface PlacedEdge {
  key: string;
  relation: string;
  path: string;
}

/**
 * Boxes at the server's column (x) and row (y), each column centred vertically; edges run from the
 * upstream node (the edge's `to`) to the node made from it, as the data flows.
 */
export function layout(graph: LineageGraph): { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number } {
  const rowsPerColumn = new Map<number, number>();
  for (const n of graph.nodes) rowsPerColumn.set(n.column, Math.max(rowsPerColumn.get(n.column) ?? 0, n.row + 1));
  const maxRows = Math.max(1, ...rowsPerColumn.values());
  const maxColumn = Math.max(0, ...graph.nodes.map((n) => n.column));
  const height = PAD * 2 + maxRows * NODE_H + (maxRows - 1) * ROW_GAP;
  const nodes = graph.nodes.map((n) => {
    const rows = rowsPerColumn.get(n.column) ?? 1;
    const offset = ((maxRows - rows) * (NODE_H + ROW_GAP)) / 2;
    return { ...n, x: PAD + n.column * (NODE_W + COL_GAP), y: PAD + offset + n.row * (NODE_H + ROW_GAP) };
  });
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const edges: PlacedEdge[] = [];
  for (const e of graph.edges) {
    const source = byKey.get(e.to);
    const target = byKey.get(e.from);
    if (!source || !target) continue;
    const x1 = source.x + NODE_W;
    const y1 = source.y + NODE_H / 2;
    const x2 = target.x - 6;
    const y2 = target.y + NODE_H / 2;
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    edges.push({ key: `${e.from}>${e.to}>${e.relation}`, relation: e.relation, path: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}` });
  }
  return { nodes, edges, width: PAD * 2 + (maxColumn + 1) * NODE_W + maxColumn * COL_GAP, height };
}
