import { DatasetSettings } from "./dataset-settings";
import { projectTitle } from "../../../../../_lib/titles";

export const generateMetadata = projectTitle("Datasets", async (c, id, p) => `${(await c.dataset.get({ projectId: id, slug: p.dataset! })).name} settings`);

export default function Page() {
  return <DatasetSettings />;
}
