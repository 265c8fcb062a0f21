"use client";

import { createContext, useContext, type ReactNode } from "react";
import { useOrg, useProject } from "../../../../_components/org-context";
import { modelPaths } from "./model-paths";

export interface ModelContextValue {
  id: string;
  name: string;
  task: string;
}

const ModelContext = createContext<ModelContextValue | null>(null);

export function ModelProvider({ value, children }: { value: ModelContextValue; children: ReactNode }) {
  return <ModelContext.Provider value={value}>{children}</ModelContext.Provider>;
}

/** The registered model of the current URL, resolved once by the model layout, with the paths of its pages. */
export function useModel() {
  const value = useContext(ModelContext);
  const { org } = useOrg();
  const project = useProject();
  if (!value) throw new Error("useModel() outside a model page");
  return { ...value, projectId: project.id, paths: modelPaths(`/${org.slug}/${project.slug}`, value.name) };
}
