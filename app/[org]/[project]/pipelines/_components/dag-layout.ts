/**
 * Places a pipeline's steps for drawing: one column per dependency depth (a step sits one column
 * right of the deepest step it needs), rows in written order within a column, and one edge per need.
 * Pure, so the run page and the editor's preview draw the same graph and tests can check it.
 */
export interface DagNode {
  id: string;
  needs: string[];
}

export interface PlacedNode<T extends DagNode> {
  node: T;
  depth: number;
  row: number;
  x: number;
  y: number;
}

export interface DagLayout<T extends DagNode> {
  nodes: PlacedNode<T>[];
  edges: { from: string; to: string; path: string }[];
  boxWidth: number;
  width: number;
  height: number;
}

export const BOX = { width: 200, minWidth: 120, height: 60, gapX: 32, gapY: 20 } as const;

/** The widest box (up to BOX.width) with which `columns` columns fit in `available` pixels, never under BOX.minWidth. */
export function boxWidthFor(available: number, columns: number): number {
  const fit = Math.floor((available - (columns - 1) * BOX.gapX) / Math.max(1, columns));
  return Math.max(BOX.minWidth, Math.min(BOX.width, fit));
}

/** Depth of every step; a need that names no step (or a cycle, which the YAML check refuses) counts as depth 0. */
export function depths(nodes: readonly DagNode[]): Map<string, number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    if (!node || visiting.has(id)) return -1;
    visiting.add(id);
    const d = node.needs.reduce((max, need) => Math.max(max, depthOf(need) + 1), 0);
    visiting.delete(id);
    memo.set(id, d);
    return d;
  };
  for (const n of nodes) depthOf(n.id);
  return memo;
}

export function layoutDag<T extends DagNode>(nodes: readonly T[], boxWidth: number = BOX.width): DagLayout<T> {
  const depth = depths(nodes);
  const rowsUsed = new Map<number, number>();
  const placed = nodes.map((node) => {
    const d = depth.get(node.id) ?? 0;
    const row = rowsUsed.get(d) ?? 0;
    rowsUsed.set(d, row + 1);
    return { node, depth: d, row, x: d * (boxWidth + BOX.gapX), y: row * (BOX.height + BOX.gapY) };
  });
  const at = new Map(placed.map((p) => [p.node.id, p]));
  const edges = placed.flatMap((to) =>
    to.node.needs.flatMap((need) => {
      const from = at.get(need);
      if (!from) return [];
      const x1 = from.x + boxWidth;
      const y1 = from.y + BOX.height / 2;
      const x2 = to.x - 6;
      const y2 = to.y + BOX.height / 2;
      const bend = Math.max(24, (x2 - x1) / 2);
      return [{ from: need, to: to.node.id, path: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}` }];
    }),
  );
  const columns = Math.max(0, ...placed.map((p) => p.depth)) + 1;
  const rows = Math.max(1, ...rowsUsed.values());
  return {
    nodes: placed,
    edges,
    boxWidth,
    width: columns * boxWidth + (columns - 1) * BOX.gapX,
    height: rows * BOX.height + (rows - 1) * BOX.gapY,
  };
}
