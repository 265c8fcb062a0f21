import type { Metadata } from "next";
import { LineageView } from "./lineage-view";

export const metadata: Metadata = { title: "Lineage" };

type Query = { kind?: string | string[]; id?: string | string[]; direction?: string | string[] };
type Props = { searchParams: Promise<Query> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

export default async function Page({ searchParams }: Props) {
  const q = await searchParams;
  const kind = one(q.kind) === "dataset_version" ? "dataset_version" : "dataset";
  const direction = one(q.direction);
  return <LineageView kind={kind} id={one(q.id)} direction={direction === "upstream" || direction === "downstream" ? direction : "both"} />;
}
