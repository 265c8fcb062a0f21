import type { Tx } from "../db";
import { AppError } from "../errors";
import type { NodeKind } from "./lineage";

export interface LineageNode {
  kind: NodeKind;
  id: string;
}

export interface Dependent {
  kind: string;
  id: string;
  /** e.g. "was trained on", "was derived from". */
  how: string;
}

const HOW: Record<string, string> = { derived_from: "was derived from", trained_on: "was trained on", produced_by: "was produced by" };

const keyOf = (n: { kind: string; id: string }) => `${n.kind}:${n.id}`;

/** What points at `nodes` in the lineage graph from outside the set (the set is deleted together). */
export async function lineageDependents(tx: Tx, projectId: string, nodes: LineageNode[]): Promise<Dependent[]> {
  if (nodes.length === 0) return [];
  const inSet = new Set(nodes.map(keyOf));
  const edges = await tx.lineageEdge.findMany({ where: { projectId, OR: nodes.map((n) => ({ toKind: n.kind, toId: n.id })) } });
  return edges
    .filter((e) => !inSet.has(keyOf({ kind: e.fromKind, id: e.fromId })))
    .map((e) => ({ kind: e.fromKind, id: e.fromId, how: HOW[e.relation] ?? e.relation.replace(/_/g, " ") }));
}

/** Removes every edge from or to `nodes` (their rows are being deleted). */
export async function removeLineage(tx: Tx, projectId: string, nodes: LineageNode[]): Promise<void> {
  if (nodes.length === 0) return;
  await tx.lineageEdge.deleteMany({
    where: { projectId, OR: nodes.flatMap((n) => [{ fromKind: n.kind, fromId: n.id }, { toKind: n.kind, toId: n.id }]) },
  });
}

/** Human names of dependents: "dataset version clean v2", "run #3 baseline (experiment Default)". */
export async function labelDependents(tx: Tx, deps: Dependent[]): Promise<string[]> {
  const ids = (kind: string) => [...new Set(deps.filter((d) => d.kind === kind).map((d) => d.id))];
  const [versions, runs, models] = await Promise.all([
    tx.datasetVersion.findMany({ where: { id: { in: ids("dataset_version") } }, select: { id: true, number: true, dataset: { select: { slug: true } } } }),
    tx.run.findMany({ where: { id: { in: ids("run") } }, select: { id: true, number: true, name: true, experiment: { select: { name: true } } } }),
    tx.modelVersion.findMany({ where: { id: { in: ids("model_version") } }, select: { id: true, number: true, model: { select: { name: true } } } }),
  ]);
  const names = new Map<string, string>([
    ...versions.map((v) => [`dataset_version:${v.id}`, `dataset version ${v.dataset.slug} v${v.number}`] as const),
    ...runs.map((r) => [`run:${r.id}`, `run #${r.number} ${r.name} (experiment ${r.experiment.name})`] as const),
    ...models.map((m) => [`model_version:${m.id}`, `model version ${m.model.name} v${m.number}`] as const),
  ]);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const d of deps) {
    const line = `${names.get(keyOf(d)) ?? `${d.kind.replace(/_/g, " ")} ${d.id}`} ${d.how} it`;
    if (!seen.has(line)) out.push(line);
    seen.add(line);
  }
  return out;
}

/** CONFLICT naming what still depends on `what`, or nothing when the list is empty. */
export function refuseWhileDepended(what: string, dependents: string[]): void {
  if (dependents.length === 0) return;
  const shown = dependents.slice(0, 5).join("; ");
  const more = dependents.length > 5 ? `; and ${dependents.length - 5} more` : "";
  throw new AppError("CONFLICT", `${what} cannot be deleted while other things depend on it: ${shown}${more}. Delete those first.`);
}
