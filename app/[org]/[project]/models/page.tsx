import { projectTitle } from "../../../_lib/titles";
import { ModelsPage } from "./models-page";

export const generateMetadata = projectTitle("Models");

export default function Page() {
  return <ModelsPage />;
}
