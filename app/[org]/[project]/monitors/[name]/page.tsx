import { loadOrFail } from "../../../../_lib/server-page";
import { projectTitle } from "../../../../_lib/titles";
import { MonitorPage } from "./monitor-page";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Monitors", async (_c, _id, p) => decodeURIComponent(p.name!));

type Props = { params: Promise<{ org: string; project: string; name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Monitors are addressed by name (the name pipelines' `monitor:` triggers use); a missing one is a 404. */
export default async function Page({ params, searchParams }: Props) {
  const { org: orgSlug, project: projectSlug, name } = await params;
  const monitor = await loadOrFail(async (caller) => {
    const project = await caller.project.get({ orgSlug, projectSlug });
    return caller.monitor.get({ projectId: project.id, name: decodeURIComponent(name) });
  });
  const { incident } = await searchParams;
  return <MonitorPage name={monitor.name} incident={typeof incident === "string" ? incident : null} />;
}
