import { projectTitle } from "../../../_lib/titles";
import { PipelinesPage } from "./pipelines-page";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Pipelines");

export default function Page() {
  return <PipelinesPage />;
}
