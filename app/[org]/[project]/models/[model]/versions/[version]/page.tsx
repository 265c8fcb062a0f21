import { notFound } from "next/navigation";
import { loadOrFail } from "../../../../../../_lib/server-page";
import { projectTitle } from "../../../../../../_lib/titles";
import { VersionPage } from "./version-page";

export const generateMetadata = projectTitle("Models", async (c, id, p) => `${decodeURIComponent(p.model!)} v${p.version}`);

type Props = { params: Promise<{ org: string; project: string; model: string; version: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Versions are addressed by number in URLs (as in the REST API); the page works with the version's id. */
export default async function Page({ params, searchParams }: Props) {
  const { org: orgSlug, project: projectSlug, model: name, version } = await params;
  const number = Number(version);
  if (!Number.isInteger(number) || number < 1) notFound();
  const found = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    const model = await caller.model.get({ projectId: project.id, name: decodeURIComponent(name) });
    const versions = await caller.model.versions({ projectId: project.id, modelId: model.id, includeArchived: true });
    return versions.find((v) => v.number === number) ?? null;
  });
  if (!found) notFound();
  const { report } = await searchParams;
  return <VersionPage versionId={found.id} report={typeof report === "string" ? report : null} />;
}
