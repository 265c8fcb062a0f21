import { TrainForm } from "./train-form";
import { projectTitle } from "../../../../_lib/titles";

export const generateMetadata = projectTitle("Runs", async () => "Train a model");

type Props = { searchParams: Promise<{ dataset?: string; version?: string }> };

/** `?dataset=<id>&version=<id>` preselects the data, as the dataset version page's "Train on this version" does. */
export default async function Page({ searchParams }: Props) {
  const { dataset, version } = await searchParams;
  return <TrainForm initialDataset={dataset ?? ""} initialVersion={version ?? ""} />;
}
