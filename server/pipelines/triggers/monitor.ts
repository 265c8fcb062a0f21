import type { PipelineRunDto } from "../schemas";
import { pipelinesTriggeredBy } from "./matching";
import { startEach } from "./start";

/**
 * A monitor's alert starts every live pipeline of the project whose triggers name the monitor
 * (`- monitor: <name>`), keyed by the alert so that the same alert never starts a pipeline twice.
 * Returns the runs the alert started (on a repeated alert: the ones it started before); a pipeline
 * that refuses (daily budget spent) is logged and left out.
 */
export async function startFromMonitor(args: { projectId: string; monitor: string; alertId: string }): Promise<PipelineRunDto[]> {
  const pipelines = await pipelinesTriggeredBy(args.projectId, (t) => "monitor" in t && t.monitor === args.monitor);
  const outcomes = await startEach(pipelines, {
    trigger: "monitor",
    triggerInfo: { alertId: args.alertId, monitor: args.monitor },
    idempotencyKey: `monitor:${args.alertId}`,
    actor: { type: "system", id: null, label: `monitor ${args.monitor}` },
  });
  return outcomes.flatMap((o) => (o.run ? [o.run] : []));
}
