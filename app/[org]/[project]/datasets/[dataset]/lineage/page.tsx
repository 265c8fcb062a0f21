import { LineageView } from "./lineage-view";
import { projectTitle } from "../../../../../_lib/titles";

export const generateMetadata = projectTitle("Datasets", async (c, id, p) => `${(await c.dataset.get({ projectId: id, slug: p.dataset! })).name} lineage`);

type Query = { kind?: string | string[]; id?: string | string[]; direction?: string | string[] };
type Props = { searchParams: Promise<Query> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

export default async function Page({ searchParams }: Props) {
  const q = await searchParams;
  const kind = one(q.kind) === "dataset_version" ? "dataset_version" : "dataset";
  const direction = one(q.direction);
  return <LineageView kind={kind} id={one(q.id)} direction={direction === "upstream" || direction === "downstream" ? direction : "both"} />;
}
