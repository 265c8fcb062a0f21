/**
 * Pipelines and their revisions: saving a cairn.yaml (a new revision only when the text changed),
 * reading them with their triggers in words, archiving, and the push-webhook secret.
 */
import { createHash, randomBytes } from "node:crypto";
import { recordAudit, type Actor } from "../audit/audit";
import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { readStored, toJsonValue } from "../lib/stored-json";
import { nextCronRuns } from "./cron";
import { ZPipelineRunStatus, ZTriggerKind, type PipelineDetailDto, type PipelineDto, type YamlProblem } from "./schemas";
import type { PipelineSpec, Trigger } from "./spec";
import { readSpec } from "./steps/plan";
import { cronOf, parsePipelineYaml } from "./yaml";

/** How many problems the error message spells out; all of them are in the error's `problems` detail. */
const PROBLEMS_IN_MESSAGE = 5;

/** The message of a refused cairn.yaml: the first problems with their lines. */
export function problemsMessage(problems: YamlProblem[]): string {
  const lines = problems.slice(0, PROBLEMS_IN_MESSAGE).map((p) => `line ${p.line}, column ${p.column}: ${p.path ? `${p.path}: ` : ""}${p.message}`);
  const more = problems.length > PROBLEMS_IN_MESSAGE ? ` (and ${problems.length - PROBLEMS_IN_MESSAGE} more)` : "";
  return `The pipeline YAML has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}: ${lines.join("; ")}${more}`;
}

/** A refused cairn.yaml: BAD_REQUEST whose details carry every located problem (REST `error.problems`, tRPC `data.details.problems`). */
export function yamlError(problems: YamlProblem[]): AppError {
  return new AppError("BAD_REQUEST", problemsMessage(problems), { problems });
}

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const newWebhookSecret = () => randomBytes(32).toString("base64url");
const creatorOf = (actor: Actor) => actor.id ?? "system";


/** When the spec's cron trigger next fires after `now`, or null without one. */
export const nextCronAtOf = (spec: PipelineSpec, now = new Date()): Date | null => {
  const cron = cronOf(spec);
  return cron ? nextCronRuns(cron, now, 1)[0]! : null;
};

type TriggerDto = PipelineDto["triggers"][number];
function triggerInWords(t: Trigger): TriggerDto {
  if ("dataset" in t) return { kind: "dataset", detail: t.dataset };
  if ("cron" in t) return { kind: "cron", detail: t.cron };
  if ("monitor" in t) return { kind: "monitor", detail: t.monitor };
  return { kind: "push", detail: t.push.branches?.length ? t.push.branches.join(", ") : "any branch" };
}

const withCurrent = { revisions: { orderBy: { number: "desc" as const } } };
type PipelineRow = NonNullable<Awaited<ReturnType<typeof loadPipeline>>>;
type RunRow = { id: string; number: number; status: string; trigger: string; createdAt: Date; finishedAt: Date | null };

const loadPipeline = (tx: Tx, projectId: string, pipelineId: string) => tx.pipeline.findFirst({ where: { id: pipelineId, projectId }, include: withCurrent });

/** The run summary the pipeline list and detail show as "last run". */
export const runSummaryOf = (r: RunRow) => ({
  id: r.id,
  number: r.number,
  status: readStored(ZPipelineRunStatus, r.status, "pipeline run status"),
  trigger: readStored(ZTriggerKind, r.trigger, "pipeline run trigger"),
  createdAt: r.createdAt,
  finishedAt: r.finishedAt,
});

const revisionDto = (r: PipelineRow["revisions"][number]) => ({ id: r.id, number: r.number, sha256: r.sha256, source: r.source, createdAt: r.createdAt });

function currentRevision(p: PipelineRow) {
  const rev = p.revisions.find((r) => r.id === p.currentRevisionId) ?? p.revisions[0];
  if (!rev) throw new AppError("CONFLICT", `Pipeline "${p.name}" has no saved revision`);
  return rev;
}

function toDto(p: PipelineRow, lastRun: RunRow | null): PipelineDto {
  const rev = currentRevision(p);
  const spec = readSpec(rev.spec);
  return {
    id: p.id,
    projectId: p.projectId,
    name: p.name,
    description: spec.description ?? null,
    revision: revisionDto(rev),
    triggers: spec.triggers.map(triggerInWords),
    concurrency: spec.concurrency,
    maxRunsPerDay: spec.budget?.maxRunsPerDay ?? null,
    nextCronAt: p.nextCronAt,
    lastRun: lastRun ? runSummaryOf(lastRun) : null,
    archivedAt: p.archivedAt,
    createdAt: p.createdAt,
  };
}

const runSummarySelect = { id: true, number: true, status: true, trigger: true, createdAt: true, finishedAt: true, pipelineId: true } as const;

async function toDetail(tx: Tx, p: PipelineRow, now = new Date()): Promise<PipelineDetailDto> {
  const last = await tx.pipelineRun.findFirst({ where: { pipelineId: p.id }, orderBy: { number: "desc" }, select: runSummarySelect });
  const rev = currentRevision(p);
  const cron = cronOf(readSpec(rev.spec));
  return {
    ...toDto(p, last),
    yaml: rev.yaml,
    revisions: p.revisions.map(revisionDto),
    nextCronRuns: cron && !p.archivedAt ? nextCronRuns(cron, now, 5).map((d) => d.toISOString()) : [],
  };
}

/**
 * Saves a cairn.yaml: creates the pipeline named in it, or adds a revision when the text differs from
 * the current one (the same text saved again changes nothing). Saving under an archived pipeline's
 * name restores it. Refused YAML is BAD_REQUEST with every located problem in the error's details.
 */
export async function savePipeline(args: SaveArgs): Promise<PipelineDetailDto> {
  const parsed = parsePipelineYaml(args.yaml);
  if (!parsed.ok) throw yamlError(parsed.problems);
  return db().$transaction((tx) => savePipelineIn(tx, args, parsed.spec));
}

type SaveArgs = { projectId: string; yaml: string; source: "ui" | "cli" | "api"; actor: Actor };

/** savePipeline inside the caller's transaction, for a spec already parsed from `args.yaml` (a monitor rule saves its generated pipeline with the rule). */
export async function savePipelineIn(tx: Tx, args: SaveArgs, spec: PipelineSpec): Promise<PipelineDetailDto> {
  const hash = sha256(args.yaml);
  const project = await tx.project.findUnique({ where: { id: args.projectId }, select: { orgId: true } });
  if (!project) throw notFound("Project");
  // Saves of one name take turns (two first saves at once would otherwise both try to create it);
  // the lock is the transaction's, so it also serialises revision numbers.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`pipeline:${args.projectId}:${spec.name}`}, 0))`;
  const created =
    (await tx.pipeline.findUnique({ where: { projectId_name: { projectId: args.projectId, name: spec.name } }, select: { id: true } })) ??
    (await tx.pipeline.create({ data: { projectId: args.projectId, name: spec.name, webhookSecret: newWebhookSecret(), createdById: creatorOf(args.actor) }, select: { id: true } }));
  // Runs being started hold this row lock too: a revision lands between runs, never under one being numbered.
  await tx.$queryRaw`SELECT id FROM "Pipeline" WHERE id = ${created.id} FOR UPDATE`;
  const row = (await loadPipeline(tx, args.projectId, created.id))!;
  const current = row.revisions.find((r) => r.id === row.currentRevisionId) ?? null;
  if (current?.sha256 === hash && !row.archivedAt) return toDetail(tx, row);

  const isNew = row.revisions.length === 0;
  let revision = current;
  if (current?.sha256 !== hash) {
    revision = await tx.pipelineRevision.create({
      data: { pipelineId: row.id, number: (row.revisions[0]?.number ?? 0) + 1, yaml: args.yaml, spec: toJsonValue(spec), sha256: hash, source: args.source, createdById: creatorOf(args.actor) },
    });
  }
  await tx.pipeline.update({ where: { id: row.id }, data: { currentRevisionId: revision!.id, nextCronAt: nextCronAtOf(spec), archivedAt: null } });
  await recordAudit(tx, {
    orgId: project.orgId,
    projectId: args.projectId,
    actor: args.actor,
    action: isNew ? "pipeline.create" : row.archivedAt ? "pipeline.restore" : "pipeline.save",
    target: { type: "pipeline", id: row.id, label: spec.name },
    before: current ? { revision: current.number, sha256: current.sha256 } : undefined,
    after: { revision: revision!.number, sha256: hash, source: args.source },
  });
  return toDetail(tx, (await loadPipeline(tx, args.projectId, row.id))!);
}

/** The project's pipelines (archived ones only when asked), by name, each with its last run. */
export async function listPipelines(args: { projectId: string; includeArchived?: boolean }): Promise<PipelineDto[]> {
  const rows = await db().pipeline.findMany({
    where: { projectId: args.projectId, currentRevisionId: { not: null }, ...(args.includeArchived ? {} : { archivedAt: null }) },
    include: withCurrent,
    orderBy: { name: "asc" },
  });
  const last = await db().pipelineRun.findMany({
    where: { pipelineId: { in: rows.map((r) => r.id) } },
    distinct: ["pipelineId"],
    orderBy: [{ pipelineId: "asc" }, { number: "desc" }],
    select: runSummarySelect,
  });
  const byPipeline = new Map(last.map((r) => [r.pipelineId, r]));
  return rows.map((r) => toDto(r, byPipeline.get(r.id) ?? null));
}

/** One pipeline with its YAML, revisions and next cron runs; another project's is NOT_FOUND. */
export async function getPipeline(args: { projectId: string; pipelineId: string }): Promise<PipelineDetailDto> {
  const row = await loadPipeline(db(), args.projectId, args.pipelineId);
  if (!row || !row.currentRevisionId) throw notFound("Pipeline");
  return toDetail(db(), row);
}

/** One revision of a pipeline with its YAML (older ones too); another project's, or no such number, is NOT_FOUND. */
export async function getPipelineRevision(args: { projectId: string; pipelineId: string; number: number }) {
  const rev = await db().pipelineRevision.findFirst({ where: { number: args.number, pipeline: { id: args.pipelineId, projectId: args.projectId } } });
  if (!rev) throw new AppError("NOT_FOUND", `Pipeline revision ${args.number} not found`);
  return { ...revisionDto(rev), yaml: rev.yaml };
}

/** The pipeline named `name` in the project (archived ones too: their runs stay readable). */
export async function pipelineByName(projectId: string, name: string): Promise<{ id: string; name: string; archivedAt: Date | null }> {
  const row = await db().pipeline.findFirst({ where: { projectId, name }, select: { id: true, name: true, archivedAt: true } });
  if (!row) throw new AppError("NOT_FOUND", `Pipeline "${name}" not found`);
  return row;
}

/** Archives a pipeline: no trigger starts it any more (its cron stops); its runs and revisions stay. */
export async function archivePipeline(args: { projectId: string; pipelineId: string; actor: Actor }): Promise<PipelineDto> {
  return db().$transaction((tx) => archivePipelineIn(tx, args));
}

/** archivePipeline inside the caller's transaction. */
export async function archivePipelineIn(tx: Tx, args: { projectId: string; pipelineId: string; actor: Actor }): Promise<PipelineDto> {
  const row = await loadPipeline(tx, args.projectId, args.pipelineId);
  if (!row) throw notFound("Pipeline");
  if (!row.archivedAt) {
    await tx.pipeline.update({ where: { id: row.id }, data: { archivedAt: new Date(), nextCronAt: null } });
    const project = await tx.project.findUniqueOrThrow({ where: { id: args.projectId }, select: { orgId: true } });
    await recordAudit(tx, { orgId: project.orgId, projectId: args.projectId, actor: args.actor, action: "pipeline.archive", target: { type: "pipeline", id: row.id, label: row.name } });
  }
  const last = await tx.pipelineRun.findFirst({ where: { pipelineId: row.id }, orderBy: { number: "desc" }, select: runSummarySelect });
  return toDto((await loadPipeline(tx, args.projectId, row.id))!, last);
}

/** The public base URL of the web process (links and webhook URLs). */
export const webPublicUrl = () => (process.env.CAIRN_PUBLIC_URL ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");

const webhookDto = (pipelineId: string, secret: string) => ({
  githubUrl: `${webPublicUrl()}/api/v1/hooks/pipelines/${pipelineId}/github`,
  gitlabUrl: `${webPublicUrl()}/api/v1/hooks/pipelines/${pipelineId}/gitlab`,
  secret,
});

/** Where GitHub/GitLab send pushes, and the secret they sign with (maintainers only). */
export async function getWebhook(args: { projectId: string; pipelineId: string }) {
  const row = await db().pipeline.findFirst({ where: { id: args.pipelineId, projectId: args.projectId }, select: { id: true, webhookSecret: true } });
  if (!row) throw notFound("Pipeline");
  return webhookDto(row.id, row.webhookSecret);
}

/** Replaces the webhook secret: deliveries signed with the old one are refused from now on. */
export async function rotateWebhookSecret(args: { projectId: string; pipelineId: string; actor: Actor }) {
  return db().$transaction(async (tx) => {
    const row = await tx.pipeline.findFirst({ where: { id: args.pipelineId, projectId: args.projectId }, select: { id: true, name: true, project: { select: { orgId: true } } } });
    if (!row) throw notFound("Pipeline");
    const secret = newWebhookSecret();
    await tx.pipeline.update({ where: { id: row.id }, data: { webhookSecret: secret } });
    // The secret itself never goes into the audit log.
    await recordAudit(tx, { orgId: row.project.orgId, projectId: args.projectId, actor: args.actor, action: "pipeline.webhook.rotate", target: { type: "pipeline", id: row.id, label: row.name } });
    return webhookDto(row.id, secret);
  });
}
