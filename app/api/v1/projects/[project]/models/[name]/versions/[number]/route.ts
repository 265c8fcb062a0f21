import { z } from "zod";
import { projectRoute } from "@/server/api/http";
import { ZModelName } from "@/server/registry/names";
import { versionByNumber } from "@/server/registry/read";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

const ZNumber = z.coerce.number().int().positive().max(2 ** 31 - 1);

/** GET one version by number: signature, encoding spec, metrics snapshot, lineage, aliases. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading a model version" }, async (_req, { access, params }) =>
  Response.json(await versionByNumber(access.project.id, ZModelName.parse(params.name), ZNumber.parse(params.number))),
);
