import { CompareView } from "./compare-view";
import { projectTitle } from "../../../../../_lib/titles";

export const generateMetadata = projectTitle("Datasets", async (c, id, p) => `Compare ${(await c.dataset.get({ projectId: id, slug: p.dataset! })).name} versions`);

type Props = { searchParams: Promise<{ base?: string | string[]; target?: string | string[] }> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

export default async function Page({ searchParams }: Props) {
  const q = await searchParams;
  return <CompareView baseId={one(q.base)} targetId={one(q.target)} />;
}
