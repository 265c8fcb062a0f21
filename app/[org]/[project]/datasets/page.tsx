import { DatasetsPage } from "./datasets-page";
import { projectTitle } from "../../../_lib/titles";

export const generateMetadata = projectTitle("Datasets");

export default function Page() {
  return <DatasetsPage />;
}
