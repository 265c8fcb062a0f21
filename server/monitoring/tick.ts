/**
 * The drift tick (drift.tick.v1, every minute): monitors whose nextRunAt has come get a drift.v1 job for
 * that fire time, and nextRunAt moves to the schedule's first fire time after `now`, in one transaction
 * per monitor (conditional on the nextRunAt read, so two ticks never queue one fire twice). Missed fire
 * times are not caught up: one run for the latest window is what a monitor needs.
 */
import { db } from "../db";
import { enqueue } from "../jobs/boss";
import { driftCompute } from "../jobs/definitions";
import { nextCronRuns } from "../pipelines/cron";

export async function queueDueMonitors(now: Date): Promise<{ queued: string[] }> {
  const due = await db().monitor.findMany({ where: { enabled: true, nextRunAt: { lte: now } }, select: { id: true, schedule: true, nextRunAt: true }, take: 500 });
  const queued: string[] = [];
  for (const m of due) {
    const next = nextCronRuns(m.schedule, now, 1)[0] ?? null;
    await db().$transaction(async (tx) => {
      const claimed = await tx.monitor.updateMany({ where: { id: m.id, nextRunAt: m.nextRunAt }, data: { nextRunAt: next } });
      if (claimed.count === 0) return;
      await enqueue(driftCompute, { monitorId: m.id, windowEnd: m.nextRunAt!.toISOString(), partial: false }, { tx });
      queued.push(m.id);
    });
  }
  return { queued };
}
