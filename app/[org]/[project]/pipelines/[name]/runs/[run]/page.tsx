import { projectTitle } from "../../../../../../_lib/titles";
import { PipelineRunPage } from "./run-page";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Pipelines", async (c, id, p) => {
  const run = await c.pipeline.runGet({ projectId: id, runId: p.run! });
  return `${run.pipelineName} #${run.number}`;
});

type Props = { params: Promise<{ run: string }> };

export default async function Page({ params }: Props) {
  const { run } = await params;
  return <PipelineRunPage runId={run} />;
}
