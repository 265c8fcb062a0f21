import { projectRoute } from "@/server/api/http";
import { requestGate } from "@/server/gates/requests";
import { waitForReport, ZWaitQuery } from "@/server/gates/rest";
import { versionFromPath } from "@/server/registry/lookup";

export const dynamic = "force-dynamic";

type Params = { project: string; name: string; number: string };

/**
 * GET the version's newest gate report: `{ status, passed, report: { checks, ... } }`. With
 * `?wait=N` (≤ 120 s) it answers as soon as the report is DONE or FAILED, else after N seconds with
 * its current status (PENDING or RUNNING), so CI can loop on it.
 */
export const GET = projectRoute<Params>({ minRole: "VIEWER", runTokens: "read", what: "reading a gate report" }, async (req, { access, params }) => {
  const q = ZWaitQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { version } = await versionFromPath(access.project.id, params.name, params.number);
  return Response.json(await waitForReport({ projectId: access.project.id, versionId: version.id, waitSeconds: q.wait, signal: req.signal }));
});

/** POST re-runs the gate under the current policy and champion (202 with the pending report). */
export const POST = projectRoute<Params>({ minRole: "MEMBER", what: "running a gate" }, async (_req, { caller, access, params }) => {
  const { version } = await versionFromPath(access.project.id, params.name, params.number);
  return Response.json(await requestGate({ projectId: access.project.id, versionId: version.id, actor: caller.actor }), { status: 202 });
});
