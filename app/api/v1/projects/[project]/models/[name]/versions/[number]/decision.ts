import { COMMAND_BODY_LIMIT, jsonBody, projectRoute } from "@/server/api/http";
import { decide } from "@/server/promotion/approvals";
import { versionFromPath } from "@/server/registry/lookup";
import { ZDecideBody } from "@/server/promotion/schemas";

type Params = { project: string; name: string; number: string };

/**
 * POST {comment?}: approves or rejects the version's latest gate report (201 with the decision); a
 * standing rejection blocks promotion. The approve and reject routes are this one handler.
 */
export function decisionRoute(decision: "APPROVE" | "REJECT") {
  return projectRoute<Params>({ minRole: "MEMBER", what: decision === "APPROVE" ? "approving a model version" : "rejecting a model version" }, async (req, { caller, access, params }) => {
    const body = await jsonBody(req, ZDecideBody, { limit: COMMAND_BODY_LIMIT, emptyAs: {} });
    const { version } = await versionFromPath(access.project.id, params.name, params.number);
    const approval = await decide({ projectId: access.project.id, orgId: access.org.id, versionId: version.id, decision, comment: body.comment, actor: caller.actor, role: access.role });
    return Response.json({ approval }, { status: 201 });
  });
}
