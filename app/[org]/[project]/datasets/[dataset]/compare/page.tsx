import type { Metadata } from "next";
import { CompareView } from "./compare-view";

export const metadata: Metadata = { title: "Compare versions" };

type Props = { searchParams: Promise<{ base?: string | string[]; target?: string | string[] }> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

export default async function Page({ searchParams }: Props) {
  const q = await searchParams;
  return <CompareView baseId={one(q.base)} targetId={one(q.target)} />;
}
