import { projectTitle } from "../../../../_lib/titles";
import { NewPipeline } from "./new-pipeline";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Pipelines", async () => "New pipeline");

export default function Page() {
  return <NewPipeline />;
}
