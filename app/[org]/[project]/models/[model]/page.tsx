import { projectTitle } from "../../../../_lib/titles";
import { ModelPage } from "./model-page";

export const generateMetadata = projectTitle("Models", async (c, id, p) => (await c.model.get({ projectId: id, name: decodeURIComponent(p.model!) })).name);

export default function Page() {
  return <ModelPage />;
}
