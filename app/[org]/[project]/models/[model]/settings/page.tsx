import { projectTitle } from "../../../../../_lib/titles";
import { ModelSettings } from "./model-settings";

export const generateMetadata = projectTitle("Models", async (c, id, p) => `Settings · ${(await c.model.get({ projectId: id, name: decodeURIComponent(p.model!) })).name}`);

export default function Page() {
  return <ModelSettings />;
}
