import { RunPage } from "./run-page";
import { projectTitle } from "../../../../_lib/titles";

export const generateMetadata = projectTitle("Runs", async (c, id, p) => (await c.run.get({ projectId: id, runId: p.run! })).name);

export default async function Page({ params }: { params: Promise<{ run: string }> }) {
  const { run } = await params;
  return <RunPage runId={run} />;
}
