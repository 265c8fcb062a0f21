import { ProjectOverview } from "./project-overview";
import { projectTitle } from "../../_lib/titles";

export const generateMetadata = projectTitle("Overview");

export default function Page() {
  return <ProjectOverview />;
}
