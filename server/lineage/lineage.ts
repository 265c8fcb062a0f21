import { db, type Tx } from "../db";
import { notFound } from "../errors";

export const NODE_KINDS = ["dataset", "dataset_version", "run", "model_version", "deployment"] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export interface EdgeInput {
  projectId: string;
  from: { kind: NodeKind; id: string };
  to: { kind: NodeKind; id: string };
  /** e.g. derived_from (data → data), trained_on (run → data), produced_by (model → run). */
  relation: string;
}

const TABLES: Partial<Record<NodeKind, string>> = { dataset: "Dataset", dataset_version: "DatasetVersion", run: "Run" };

/**
 * Locks a node's row against deletion until the transaction ends (NOT_FOUND when it is gone).
 * Deleting takes the row FOR UPDATE before it looks for dependents, so an edge added meanwhile
 * either waits and fails here or is seen by that check.
 */
export async function lockNode(tx: Tx, node: { kind: NodeKind; id: string }): Promise<void> {
  const table = TABLES[node.kind];
  if (!table) return;
  const rows = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "${table}" WHERE id = $1 FOR KEY SHARE`, node.id);
  if (rows.length === 0) throw notFound(node.kind === "dataset_version" ? "Dataset version" : node.kind === "run" ? "Run" : "Dataset");
}

/** Adds an edge; adding it twice is a no-op. */
export async function addEdge(tx: Tx, e: EdgeInput): Promise<void> {
  await lockNode(tx, e.to);
  await tx.lineageEdge.upsert({
    where: { fromKind_fromId_toKind_toId_relation: { fromKind: e.from.kind, fromId: e.from.id, toKind: e.to.kind, toId: e.to.id, relation: e.relation } },
    create: { projectId: e.projectId, fromKind: e.from.kind, fromId: e.from.id, toKind: e.to.kind, toId: e.to.id, relation: e.relation },
    update: {},
  });
}

export interface GraphEdge {
  from: string;
  to: string;
  relation: string;
}

/**
 * Walks the graph from a node: "upstream" follows edges forward (what was this made from),
 * "downstream" backward (what descends from it). Node keys are `kind:id`.
 */
export async function walk(args: {
  projectId: string;
  start: { kind: string; id: string };
  direction: "upstream" | "downstream" | "both";
  depth: number;
}): Promise<{ nodes: Map<string, number>; edges: GraphEdge[] }> {
  const key = (kind: string, id: string) => `${kind}:${id}`;
  const nodes = new Map<string, number>([[key(args.start.kind, args.start.id), 0]]);
  const edges = new Map<string, GraphEdge>();
  const directions = args.direction === "both" ? (["upstream", "downstream"] as const) : ([args.direction] as const);
  for (const dir of directions) {
    let frontier = [{ kind: args.start.kind, id: args.start.id }];
    for (let level = 1; level <= args.depth && frontier.length > 0; level++) {
      const rows = await db().lineageEdge.findMany({
        where: {
          projectId: args.projectId,
          OR: frontier.map((n) => (dir === "upstream" ? { fromKind: n.kind, fromId: n.id } : { toKind: n.kind, toId: n.id })),
        },
        take: 5000,
      });
      const next: { kind: string; id: string }[] = [];
      for (const r of rows) {
        const e = { from: key(r.fromKind, r.fromId), to: key(r.toKind, r.toId), relation: r.relation };
        edges.set(`${e.from}>${e.to}>${e.relation}`, e);
        const other = dir === "upstream" ? { kind: r.toKind, id: r.toId } : { kind: r.fromKind, id: r.fromId };
        const k = key(other.kind, other.id);
        if (!nodes.has(k)) {
          nodes.set(k, dir === "upstream" ? level : -level);
          next.push(other);
        }
      }
      frontier = next;
    }
  }
  return { nodes, edges: [...edges.values()] };
}
