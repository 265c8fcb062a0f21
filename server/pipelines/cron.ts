/**
 * Cron schedules of pipeline triggers: five fields (minute hour day-of-month month day-of-week), in UTC.
 * The one place that reads a cron expression: the YAML check, the cron tick job and the UI's "next
 * runs" all call these, so what the editor shows is what the scheduler does.
 */
import { CronExpressionParser } from "cron-parser";

/** Why the expression is not a five-field cron schedule, or null when it is one. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return `a cron schedule has 5 fields (minute hour day month weekday), got ${fields.length}`;
  try {
    CronExpressionParser.parse(expr, { tz: "UTC" });
    return null;
  } catch (e) {
    return `not a cron schedule: ${(e as Error).message}`;
  }
}

/** The next `count` times strictly after `from` the schedule fires (UTC). Throws on an invalid expression. */
export function nextCronRuns(expr: string, from: Date, count: number): Date[] {
  const problem = cronProblem(expr);
  if (problem) throw new Error(problem);
  const it = CronExpressionParser.parse(expr, { currentDate: from, tz: "UTC" });
  const out: Date[] = [];
  for (let i = 0; i < count; i++) out.push(it.next().toDate());
  return out;
}
