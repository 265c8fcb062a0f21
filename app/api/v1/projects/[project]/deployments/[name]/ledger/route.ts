import { projectRoute } from "@/server/api/http";
import { listLedger, verifyLedger } from "@/server/deployments/ledger";
import { deploymentIdByName } from "@/server/deployments/lookup";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string };

/** GET: every change of the deployment, oldest first, and whether its hash chain verifies. */
export const GET = projectRoute<Params>({ minRole: "VIEWER", what: "reading a deployment ledger" }, async (_req, { access, params }) => {
  const deploymentId = await deploymentIdByName(access.project.id, params.name);
  const [entries, verification] = await Promise.all([listLedger({ projectId: access.project.id, deploymentId }), verifyLedger({ projectId: access.project.id, deploymentId })]);
  return Response.json({ verification, entries });
});
