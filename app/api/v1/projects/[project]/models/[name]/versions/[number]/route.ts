import { projectRoute } from "@/server/api/http";
import { ZModelName } from "@/server/registry/names";
import { versionByNumber } from "@/server/registry/read";
import { ZVersionNumber } from "@/server/registry/lookup";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

/** GET one version by number: signature, encoding spec, metrics snapshot, lineage, aliases. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading a model version" }, async (_req, { access, params }) =>
  Response.json(await versionByNumber(access.project.id, ZModelName.parse(params.name), ZVersionNumber.parse(params.number))),
);
