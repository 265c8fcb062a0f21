/**
 * The cron trigger: a job scheduled every minute (pipelineCronTick) starts the runs of pipelines whose
 * nextCronAt has come. Pipeline.nextCronAt is the schedule's state: savePipeline sets it from the cron
 * trigger, each tick moves it past `now`.
 */
import { db } from "../../db";
import { nextCronRuns } from "../cron";
import { cronOf } from "../yaml";
import type { PipelineRunDto } from "../schemas";
import { currentSpecs } from "./matching";
import { startEach } from "./start";

export interface CronFire {
  pipelineId: string;
  cron: string;
  /** The fire time the run is for (the earliest one missed, when ticks were missed). */
  scheduledFor: Date;
  /** Where nextCronAt moved: the first fire time after `now`. */
  next: Date | null;
  run: PipelineRunDto | null;
  created: boolean;
  refused: { code: string; message: string } | null;
}

/** Due pipelines taken per transaction; a tick loops until none is left. */
const BATCH = 50;

interface Claim {
  pipeline: Parameters<typeof startEach>[0][number];
  cron: string;
  scheduledFor: Date;
  next: Date | null;
}

/**
 * Claims up to BATCH due pipelines (rows another tick holds are skipped) and moves their nextCronAt to
 * the first fire time after `now`, in one transaction. However many fire times passed while nothing
 * ticked, a pipeline gets one run: catching up on a night of missed minutes would only queue stale work.
 */
async function claimDue(now: Date): Promise<{ claims: Claim[]; seen: number }> {
  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Pipeline"
      WHERE "nextCronAt" <= (${now}::timestamptz AT TIME ZONE 'UTC') AND "archivedAt" IS NULL
      ORDER BY "nextCronAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) return { claims: [], seen: 0 };
    const rows = await tx.pipeline.findMany({
      where: { id: { in: locked.map((r) => r.id) } },
      select: { id: true, projectId: true, name: true, currentRevisionId: true, archivedAt: true, nextCronAt: true },
    });
    const specs = new Map((await currentSpecs(rows, tx)).map((p) => [p.id, p]));
    const claims: Claim[] = [];
    for (const row of rows) {
      const pipeline = specs.get(row.id);
      const cron = pipeline ? cronOf(pipeline.spec) : null;
      let next: Date | null = null;
      if (cron) {
        try {
          next = nextCronRuns(cron, now, 1)[0] ?? null;
        } catch (err) {
          // savePipeline checks the expression; one that no longer reads stops its schedule instead of every tick.
          console.error(`[pipelines] pipeline ${row.id}: cron "${cron}" cannot be read, schedule stopped: ${(err as Error).message}`);
        }
      }
      await tx.pipeline.update({ where: { id: row.id }, data: { nextCronAt: next } });
      if (pipeline && cron && next) claims.push({ pipeline, cron, scheduledFor: row.nextCronAt!, next });
    }
    return { claims, seen: locked.length };
  });
}

/**
 * Starts a run of every pipeline whose cron fire time is at or before `now`, keyed by the fire time
 * (`cron:<ISO>`), so that a fire is started once even when two ticks overlap or a tick is retried.
 * The claim commits before the runs start (startPipelineRun takes the Pipeline row's lock in its own
 * transaction, so the claim cannot hold it meanwhile): a failed start puts its fire back, while a
 * process killed between the two loses that one fire; the schedule itself goes on.
 */
export async function fireDueCrons(now: Date): Promise<CronFire[]> {
  const fires: CronFire[] = [];
  for (;;) {
    const { claims, seen } = await claimDue(now);
    for (const c of claims) {
      try {
        const [outcome] = await startEach([c.pipeline], {
          trigger: "cron",
          triggerInfo: { cron: c.cron, scheduledFor: c.scheduledFor.toISOString() },
          idempotencyKey: `cron:${c.scheduledFor.toISOString()}`,
          actor: { type: "system", id: null, label: `cron ${c.cron}` },
        });
        fires.push({ pipelineId: c.pipeline.id, cron: c.cron, scheduledFor: c.scheduledFor, next: c.next, run: outcome?.run ?? null, created: outcome?.created ?? false, refused: outcome?.refused ?? null });
      } catch (err) {
        // The run did not start for a reason of ours (database, engine): put the fire back so the job's retry starts it.
        await db().pipeline.updateMany({ where: { id: c.pipeline.id, nextCronAt: c.next }, data: { nextCronAt: c.scheduledFor } });
        throw err;
      }
    }
    if (seen < BATCH) return fires;
  }
}
