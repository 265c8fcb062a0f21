import type { PipelineRunDto } from "../schemas";
import { pipelinesTriggeredBy } from "./matching";
import { startEach } from "./start";

/**
 * How a monitor's alert starts a run, whichever pipeline it is: trigger "monitor", the alert in the
 * trigger info, and keyed by the alert so that the same alert never starts a pipeline twice.
 */
export const monitorRun = (args: { monitor: string; alertId: string }) => ({
  trigger: "monitor" as const,
  triggerInfo: { alertId: args.alertId, monitor: args.monitor },
  idempotencyKey: `monitor:${args.alertId}`,
  actor: { type: "system" as const, id: null, label: `monitor ${args.monitor}` },
});

/**
 * A monitor's alert starts every live pipeline of the project whose triggers name the monitor
 * (`- monitor: <name>`), once per alert (monitorRun). Returns the runs the alert started (on a
 * repeated alert: the ones it started before); a pipeline that refuses (daily budget spent) is logged
 * and left out.
 */
export async function startFromMonitor(args: { projectId: string; monitor: string; alertId: string }): Promise<PipelineRunDto[]> {
  const pipelines = await pipelinesTriggeredBy(args.projectId, (t) => "monitor" in t && t.monitor === args.monitor);
  const outcomes = await startEach(pipelines, monitorRun(args));
  return outcomes.flatMap((o) => (o.run ? [o.run] : []));
}
