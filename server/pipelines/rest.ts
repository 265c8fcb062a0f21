/**
 * The REST face of pipelines (/api/v1/projects/{project}/pipelines…), used by the `cairn` CLI and CI
 * jobs: pipelines and runs are named as people name them (pipeline name, run number), then the same
 * services and input schemas as tRPC do the work, so REST and tRPC refuse the same things.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { bodyText } from "../lib/http";
import { pipelineByName } from "./pipelines";
import { getPipelineRunByNumber } from "./runs";
import { TERMINAL_RUN_STATUSES, ZSavePipelineInput, ZStartPipelineRunInput, type PipelineRunDto } from "./schemas";

/** A cairn.yaml body: 200 KiB is far above any real pipeline (the schema allows 200,000 characters). */
export const YAML_BODY_LIMIT = 200 * 1024;
const YAML_TYPES = new Set(["application/yaml", "application/x-yaml", "text/yaml", "text/plain"]);

/** The PUT body as YAML text; other content types are refused so a form post or JSON is not read as YAML. */
export async function yamlBody(req: Request): Promise<string> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!YAML_TYPES.has(type)) {
    throw new AppError("BAD_REQUEST", `Send the cairn.yaml text as the body with Content-Type application/yaml (or text/yaml, text/plain); got ${type || "no Content-Type"}`);
  }
  return bodyText(req, YAML_BODY_LIMIT);
}

/** `?source=cli` marks revisions the CLI saved; anything sent over REST is "api" otherwise. */
export function saveInput(projectId: string, yaml: string, url: URL) {
  return ZSavePipelineInput.parse({ projectId, yaml, source: url.searchParams.get("source") ?? "api" });
}

/** A pipeline named in the path; a malformed name is 400, another project's is 404. */
const ZPipelineName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a pipeline name is lower-case letters, digits and -");
export const pipelineFromPath = (projectId: string, name: string) => pipelineByName(projectId, ZPipelineName.parse(name));

const ZRunNumber = z.coerce.number().int().positive().max(2 ** 31 - 1);

/** A reader of the run behind …/pipelines/{name}/runs/{number} (names resolved once, for the long-poll's repeated reads). */
export async function runReader(projectId: string, name: string, number: string): Promise<() => Promise<PipelineRunDto>> {
  const n = ZRunNumber.parse(number);
  const pipeline = await pipelineFromPath(projectId, name);
  return () => getPipelineRunByNumber(projectId, pipeline.id, n);
}

/** The run behind …/pipelines/{name}/runs/{number}. */
export const runFromPath = async (projectId: string, name: string, number: string): Promise<PipelineRunDto> => (await runReader(projectId, name, number))();

/** POST …/runs body {params?, idempotencyKey?}; an `Idempotency-Key` header works as the key too. */
export function startInput(projectId: string, pipelineId: string, body: unknown, headers: Headers) {
  const fields = z.record(z.string(), z.unknown()).parse(body);
  // An empty header (a CI variable that was not set) means no key rather than a bad one.
  const headerKey = headers.get("idempotency-key")?.trim() || undefined;
  return ZStartPipelineRunInput.parse({ idempotencyKey: headerKey, ...fields, projectId, pipelineId });
}

/** Longest `?wait=` on a run: long enough for a CI loop, short enough for proxies' idle timeouts. */
export const MAX_WAIT_SECONDS = 60;
const POLL_MS = 500;
const ZWait = z.coerce
  .number()
  .min(0, "wait: a number of seconds")
  .transform((s) => Math.min(s, MAX_WAIT_SECONDS));

/** `?wait=` in seconds (0 when absent; longer waits are cut to MAX_WAIT_SECONDS). */
export const waitSeconds = (url: URL): number => (url.searchParams.has("wait") ? ZWait.parse(url.searchParams.get("wait")) : 0);

/**
 * Reads the run again every half second until it has finished, `seconds` have passed or the client
 * went away; answers its latest state either way (the caller sees from `status` whether it finished).
 */
export async function waitForRun(read: () => Promise<PipelineRunDto>, seconds: number, signal?: AbortSignal): Promise<PipelineRunDto> {
  const deadline = Date.now() + seconds * 1000;
  let run = await read();
  while (!TERMINAL_RUN_STATUSES.includes(run.status) && Date.now() < deadline && !signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    run = await read();
  }
  return run;
}
