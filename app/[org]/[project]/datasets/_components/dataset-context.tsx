"use client";

import { createContext, useContext, type ReactNode } from "react";
import { useOrg, useProject } from "../../../../_components/org-context";

export interface DatasetContextValue {
  id: string;
  slug: string;
  name: string;
}

const DatasetContext = createContext<DatasetContextValue | null>(null);

export function DatasetProvider({ value, children }: { value: DatasetContextValue; children: ReactNode }) {
  return <DatasetContext.Provider value={value}>{children}</DatasetContext.Provider>;
}

/** The dataset of the current URL, resolved once by the dataset layout, with the paths of its pages. */
export function useDataset() {
  const value = useContext(DatasetContext);
  const { org } = useOrg();
  const project = useProject();
  if (!value) throw new Error("useDataset() outside a dataset page");
  return { ...value, projectId: project.id, paths: datasetPaths(`/${org.slug}/${project.slug}/datasets`, value.slug) };
}

export function datasetPaths(datasetsBase: string, slug: string) {
  const base = `${datasetsBase}/${slug}`;
  return {
    base,
    contract: `${base}/contract`,
    settings: `${base}/settings`,
    version: (versionId: string) => `${base}/versions/${versionId}`,
    compare: (baseId: string, targetId: string) => `${base}/compare?base=${baseId}&target=${targetId}`,
    lineage: (kind: "dataset" | "dataset_version", id: string) => `${base}/lineage?kind=${kind}&id=${id}`,
  };
}
