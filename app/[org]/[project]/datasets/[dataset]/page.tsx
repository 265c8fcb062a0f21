import { DatasetPage } from "./dataset-page";
import { projectTitle } from "../../../../_lib/titles";

export const generateMetadata = projectTitle("Datasets", async (c, id, p) => (await c.dataset.get({ projectId: id, slug: p.dataset! })).name);

export default function Page() {
  return <DatasetPage />;
}
