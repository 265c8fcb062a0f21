import type { ReactNode } from "react";
import { loadOrFail } from "../../../../_lib/server-page";
import { DatasetProvider } from "../_components/dataset-context";
import { DatasetHeader } from "./dataset-header";

export const dynamic = "force-dynamic";

type Props = { children: ReactNode; params: Promise<{ org: string; project: string; dataset: string }> };

/** Resolves the dataset from its slug inside the project; a dataset of another project is a 404. */
export default async function DatasetLayout({ children, params }: Props) {
  const { org: orgSlug, project: projectSlug, dataset: slug } = await params;
  const dataset = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    return caller.dataset.get({ projectId: project.id, slug });
  });
  return (
    <DatasetProvider value={{ id: dataset.id, slug: dataset.slug, name: dataset.name }}>
      <DatasetHeader />
      {children}
    </DatasetProvider>
  );
}
