import { projectTitle } from "../../../../../_lib/titles";
import { pipelineIdFromParams } from "../../_components/load-pipeline";
import { EditPipeline } from "./edit-pipeline";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Pipelines", async (_c, _id, p) => `Edit ${decodeURIComponent(p.name!)}`);

type Props = { params: Promise<{ org: string; project: string; name: string }> };

export default async function Page({ params }: Props) {
  return <EditPipeline pipelineId={await pipelineIdFromParams(params)} />;
}
