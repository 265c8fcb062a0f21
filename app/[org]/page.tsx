import { ProjectsPage } from "./_projects/projects-page";
import { orgTitle } from "../_lib/titles";

export const generateMetadata = orgTitle("Projects");

export default function Page() {
  return <ProjectsPage />;
}
