/** What the gate's REST endpoints need beyond the services: paths by name/number, long-polling, policy bodies as YAML or JSON. */
import { z } from "zod";
import { AppError } from "../errors";
import { bodyText, parseJsonText } from "../lib/http";
import { latestReport } from "./reports";
import { MAX_POLICY_YAML, type GateReportFullDto } from "./schemas";
import { ZGatePolicy } from "./policy";

/** Longest `?wait=` a caller may hold a request for. */
export const MAX_WAIT_SECONDS = 120;
export const ZWaitQuery = z.object({ wait: z.coerce.number().min(0).max(MAX_WAIT_SECONDS, `wait is at most ${MAX_WAIT_SECONDS} seconds`).default(0), org: z.string().max(64).optional() });

const POLL_MS = 500;

/**
 * The version's newest gate report; with `waitSeconds`, polls until it is DONE or FAILED or the time
 * is up (then answers it as it is, PENDING or RUNNING). NOT_FOUND when the version was never gated.
 */
export async function waitForReport(args: { projectId: string; versionId: string; waitSeconds: number; signal?: AbortSignal }): Promise<GateReportFullDto> {
  const deadline = Date.now() + args.waitSeconds * 1000;
  for (;;) {
    const report = await latestReport({ projectId: args.projectId, versionId: args.versionId });
    if (!report) throw new AppError("NOT_FOUND", "This version has no gate report yet: POST to this URL to request one");
    if (report.status === "DONE" || report.status === "FAILED" || Date.now() >= deadline || args.signal?.aborted) return report;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}

const ZPolicyJsonBody = z.object({ yaml: z.string().max(MAX_POLICY_YAML).optional(), policy: ZGatePolicy.optional(), comment: z.string().trim().max(500).default("") }).strict();

/**
 * A policy PUT body: YAML text (text/plain, application/yaml; the comment from `?comment=`) or JSON
 * `{yaml}` / `{policy}` with an optional comment. The body is capped at the policy size limit.
 */
export async function policyFromRequest(req: Request): Promise<{ yaml?: string; policy?: z.input<typeof ZGatePolicy>; comment: string }> {
  const text = await bodyText(req, MAX_POLICY_YAML);
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") {
    const body = ZPolicyJsonBody.parse(parseJsonText(text, "The request body must be JSON (or send YAML as text/plain)"));
    if ((body.yaml === undefined) === (body.policy === undefined)) throw new AppError("BAD_REQUEST", "Send either yaml or policy");
    return body;
  }
  const comment = new URL(req.url).searchParams.get("comment") ?? "";
  if (comment.length > 500) throw new AppError("BAD_REQUEST", "comment is at most 500 characters");
  return { yaml: text, comment };
}
