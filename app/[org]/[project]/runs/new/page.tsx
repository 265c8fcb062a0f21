import type { Metadata } from "next";
import { TrainForm } from "./train-form";

export const metadata: Metadata = { title: "Train a model" };

type Props = { searchParams: Promise<{ dataset?: string; version?: string }> };

/** `?dataset=<id>&version=<id>` preselects the data, as the dataset version page's "Train on this version" does. */
export default async function Page({ searchParams }: Props) {
  const { dataset, version } = await searchParams;
  return <TrainForm initialDataset={dataset ?? ""} initialVersion={version ?? ""} />;
}
