import { projectRoute } from "@/server/api/http";
import { runFromPath, waitForRun, waitSeconds } from "@/server/pipelines/rest";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

/** GET: run `number` with its steps; `?wait=SECONDS` (at most 60) answers as soon as it has finished, or after that long. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading a pipeline run" }, async (req, { access, params }) => {
  const seconds = waitSeconds(new URL(req.url));
  const first = await runFromPath(access.project.id, params.name, params.number);
  const run = seconds > 0 ? await waitForRun(() => runFromPath(access.project.id, params.name, params.number), seconds, req.signal) : first;
  return Response.json(run);
});
