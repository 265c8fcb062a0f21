import { authedRoute } from "@/server/api/http";

export const dynamic = "force-dynamic";

/** Who the bearer token (or session) is: handy as a first check in CI scripts. */
export const GET = authedRoute(async (_req, { caller: { identity } }) =>
  Response.json(
    identity.kind === "user"
      ? { kind: "user", id: identity.userId, email: identity.email, name: identity.name }
      : { kind: "token", id: identity.tokenId, label: identity.label, orgId: identity.orgId, projectId: identity.projectId, role: identity.role },
  ),
);
