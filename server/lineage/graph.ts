import { db } from "../db";
import { notFound } from "../errors";
import { walk } from "./lineage";

export interface LineageNode {
  key: string;
  kind: string;
  id: string;
  label: string;
  detail: string;
  status: string | null;
  /** Column in a left-to-right layout: sources on the left, descendants on the right. */
  column: number;
  row: number;
  root: boolean;
}

/** The lineage around one node, labelled and laid out for drawing. */
export async function lineageGraph(args: { projectId: string; kind: string; id: string; direction: "upstream" | "downstream" | "both"; depth: number }) {
  const exists =
    args.kind === "dataset"
      ? await db().dataset.findFirst({ where: { id: args.id, projectId: args.projectId }, select: { id: true } })
      : await db().datasetVersion.findFirst({ where: { id: args.id, projectId: args.projectId }, select: { id: true } });
  if (!exists) throw notFound("Lineage node");
  const { nodes, edges } = await walk({ projectId: args.projectId, start: { kind: args.kind, id: args.id }, direction: args.direction, depth: args.depth });
  const ids = (kind: string) => [...nodes.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1));
  const [datasets, versions, runs, models] = await Promise.all([
    db().dataset.findMany({ where: { projectId: args.projectId, id: { in: ids("dataset") } } }),
    db().datasetVersion.findMany({ where: { projectId: args.projectId, id: { in: ids("dataset_version") } }, include: { dataset: { select: { slug: true, name: true } } } }),
    db().run.findMany({ where: { projectId: args.projectId, id: { in: ids("run") } }, include: { experiment: { select: { name: true } } } }),
    db().modelVersion.findMany({ where: { projectId: args.projectId, id: { in: ids("model_version") } }, select: { id: true, number: true, archivedAt: true, model: { select: { name: true } } } }),
  ]);
  const labels = new Map<string, { label: string; detail: string; status: string | null }>();
  for (const d of datasets) labels.set(`dataset:${d.id}`, { label: d.name, detail: "dataset", status: null });
  for (const v of versions) {
    labels.set(`dataset_version:${v.id}`, {
      label: `${v.dataset.slug} v${v.number}`,
      detail: v.rowCount !== null ? `${v.rowCount.toLocaleString("en")} rows` : v.fileName,
      status: v.validation,
    });
  }
  for (const r of runs) labels.set(`run:${r.id}`, { label: `${r.experiment.name} / ${r.name}`, detail: "run", status: r.status });
  for (const m of models) labels.set(`model_version:${m.id}`, { label: `${m.model.name} v${m.number}`, detail: "model version", status: m.archivedAt ? "ARCHIVED" : null });
  // Upstream levels are positive (further left), downstream negative: flip so sources come first.
  const columns = new Map([...nodes].map(([k, level]) => [k, -level]));
  const min = Math.min(...columns.values());
  const byColumn = new Map<number, string[]>();
  for (const [k, c] of columns) byColumn.set(c - min, [...(byColumn.get(c - min) ?? []), k]);
  const out: LineageNode[] = [];
  for (const [column, keys] of byColumn) {
    keys
      .filter((k) => labels.has(k))
      .sort((a, b) => labels.get(a)!.label.localeCompare(labels.get(b)!.label))
      .forEach((k, row) => {
        const [kind, id] = [k.slice(0, k.indexOf(":")), k.slice(k.indexOf(":") + 1)];
        out.push({ key: k, kind, id, ...labels.get(k)!, column, row, root: kind === args.kind && id === args.id });
      });
  }
  const known = new Set(out.map((n) => n.key));
  return { nodes: out, edges: edges.filter((e) => known.has(e.from) && known.has(e.to)) };
}
