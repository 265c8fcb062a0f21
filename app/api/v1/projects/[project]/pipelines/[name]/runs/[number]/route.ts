import { projectRoute } from "@/server/api/http";
import { runReader, waitForRun, waitSeconds } from "@/server/pipelines/rest";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

/** GET: run `number` with its steps; `?wait=SECONDS` (at most 60) answers as soon as it has finished, or after that long. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading a pipeline run" }, async (req, { access, params }) => {
  const seconds = waitSeconds(new URL(req.url));
  const read = await runReader(access.project.id, params.name, params.number);
  return Response.json(seconds > 0 ? await waitForRun(read, seconds, req.signal) : await read());
});
