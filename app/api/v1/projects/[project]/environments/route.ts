import { projectRoute } from "@/server/api/http";
import { listEnvironments } from "@/server/deployments/environments";

export const dynamic = "force-dynamic";

type Params = { project: string };

/** GET: the project's environments and what each requires of a version before it takes traffic. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading environments" }, async (_req, { access }) => {
  return Response.json({ environments: await listEnvironments({ projectId: access.project.id }) });
});
