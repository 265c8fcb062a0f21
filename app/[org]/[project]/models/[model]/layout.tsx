import type { ReactNode } from "react";
import { loadOrFail } from "../../../../_lib/server-page";
import { ModelProvider } from "../_components/model-context";
import { ModelHeader } from "./model-header";

export const dynamic = "force-dynamic";

type Props = { children: ReactNode; params: Promise<{ org: string; project: string; model: string }> };

/** Resolves the model from its name inside the project; a model of another project is a 404. */
export default async function ModelLayout({ children, params }: Props) {
  const { org: orgSlug, project: projectSlug, model: name } = await params;
  const model = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    return caller.model.get({ projectId: project.id, name: decodeURIComponent(name) });
  });
  return (
    <ModelProvider value={{ id: model.id, name: model.name, task: model.task }}>
      <ModelHeader />
      {children}
    </ModelProvider>
  );
}
