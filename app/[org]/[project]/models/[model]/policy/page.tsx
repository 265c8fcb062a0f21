import { projectTitle } from "../../../../../_lib/titles";
import { PolicyPage } from "./policy-page";

export const generateMetadata = projectTitle("Models", async (c, id, p) => `Gate policy · ${(await c.model.get({ projectId: id, name: decodeURIComponent(p.model!) })).name}`);

export default function Page() {
  return <PolicyPage />;
}
