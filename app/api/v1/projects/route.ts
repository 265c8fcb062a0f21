import { z } from "zod";
import { apiCaller, apiRoute } from "@/server/api/http";
import { resolveOrgAccess } from "@/server/tenancy/access";
import { listProjects } from "@/server/tenancy/projects";
import { ZId } from "@/server/lib/ids";

export const dynamic = "force-dynamic";

const ZQuery = z.object({ orgId: ZId });

/** GET /api/v1/projects?orgId=…: the projects the caller can see in that organisation. */
export const GET = apiRoute(async (req) => {
  const { identity } = await apiCaller(req);
  const query = ZQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const access = await resolveOrgAccess(identity, query.orgId);
  return Response.json({ projects: await listProjects({ orgId: access.org.id, onlyProjectId: access.projectScope }) });
});
