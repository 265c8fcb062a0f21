import { VersionPage } from "./version-page";
import { projectTitle } from "../../../../../../_lib/titles";

export const generateMetadata = projectTitle("Datasets", async (c, id, p) => `${(await c.dataset.get({ projectId: id, slug: p.dataset! })).name} v${(await c.dataset.version({ projectId: id, versionId: p.version! })).number}`);

type Props = { params: Promise<{ version: string }> };

export default async function Page({ params }: Props) {
  const { version } = await params;
  return <VersionPage versionId={version} />;
}
