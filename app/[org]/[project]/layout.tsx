import type { ReactNode } from "react";
import { ProjectProvider } from "../../_components/org-context";
import { loadOrFail } from "../../_lib/server-page";
import { ProjectHeader } from "./project-header";

export const dynamic = "force-dynamic";

type Props = { children: ReactNode; params: Promise<{ org: string; project: string }> };

/** Resolves the project from the URL slugs; another tenant's project is a 404 like a missing one. */
export default async function ProjectLayout({ children, params }: Props) {
  const { org: orgSlug, project: projectSlug } = await params;
  const project = await loadOrFail((caller) => caller.project.get({ orgSlug, projectSlug }));
  const value = {
    id: project.id,
    slug: project.slug,
    name: project.name,
    description: project.description,
    primaryMetric: project.primaryMetric,
    createdAt: project.createdAt.toISOString(),
  };
  return (
    <ProjectProvider value={value}>
      <ProjectHeader />
      {children}
    </ProjectProvider>
  );
}
