import { z } from "zod";
import { orgRoute } from "@/server/api/http";
import { listProjects } from "@/server/tenancy/projects";
import { ZId } from "@/server/lib/ids";

export const dynamic = "force-dynamic";

const ZQuery = z.object({ orgId: ZId });

/** GET /api/v1/projects?orgId=…: the projects the caller can see in that organisation. */
export const GET = orgRoute(
  {
    minRole: "VIEWER",
    allowProjectTokens: true,
    runTokens: "read",
    what: "listing projects",
    orgId: (req) => ZQuery.parse(Object.fromEntries(new URL(req.url).searchParams)).orgId,
  },
  async (_req, { access }) => Response.json({ projects: await listProjects({ orgId: access.org.id, onlyProjectId: access.projectScope }) }),
);
