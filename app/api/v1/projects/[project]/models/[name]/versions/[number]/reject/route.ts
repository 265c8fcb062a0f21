import { projectRoute } from "@/server/api/http";
import { readJsonBody } from "@/server/api/json-body";
import { decide } from "@/server/promotion/approvals";
import { versionFromPath } from "@/server/gates/rest";
import { ZDecideBody } from "@/server/promotion/schemas";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

/** POST {comment?}: rejects the version's latest gate report; a standing rejection blocks promotion (201 with the decision). */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "rejecting a model version" }, async (req, { caller, access, params }) => {
  const body = await readJsonBody(req, ZDecideBody);
  const { version } = await versionFromPath(access.project.id, params.name, params.number);
  const approval = await decide({
    projectId: access.project.id,
    orgId: access.org.id,
    versionId: version.id,
    decision: "REJECT",
    comment: body.comment,
    actor: caller.actor,
    role: access.role,
  });
  return Response.json({ approval }, { status: 201 });
});
