import { ProjectSettings } from "./project-settings";
import { projectTitle } from "../../../_lib/titles";

export const generateMetadata = projectTitle("Settings");

export default function Page() {
  return <ProjectSettings />;
}
