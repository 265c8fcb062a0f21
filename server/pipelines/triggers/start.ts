/**
 * Starting the runs that one event fires, pipeline by pipeline: a refusal of one pipeline (its daily
 * budget spent, archived meanwhile) is logged and does not keep the others from starting.
 */
import type { Actor } from "../../audit/audit";
import { AppError } from "../../errors";
import { startPipelineRun } from "../runs";
import type { PipelineRunDto, TriggerKind } from "../schemas";
import type { TriggeredPipeline } from "./matching";

export interface TriggerOutcome {
  pipelineId: string;
  pipelineName: string;
  /** The run started (or, for a repeated idempotency key, the one started before). */
  run: PipelineRunDto | null;
  created: boolean;
  /** Why the pipeline refused to start (AppError code and message), when it did. */
  refused: { code: string; message: string } | null;
}

/** Starts one run per pipeline with the same trigger and key; unexpected errors are thrown after all pipelines were tried. */
export async function startEach(
  pipelines: readonly Pick<TriggeredPipeline, "id" | "projectId" | "name">[],
  run: { trigger: TriggerKind; triggerInfo: Record<string, unknown>; idempotencyKey: string; actor: Actor },
): Promise<TriggerOutcome[]> {
  const out: TriggerOutcome[] = [];
  let failure: unknown = null;
  for (const p of pipelines) {
    try {
      const started = await startPipelineRun({ projectId: p.projectId, pipelineId: p.id, ...run });
      out.push({ pipelineId: p.id, pipelineName: p.name, run: started.run, created: started.created, refused: null });
    } catch (err) {
      if (!(err instanceof AppError)) {
        failure ??= err;
        continue;
      }
      console.warn(`[pipelines] ${run.trigger} trigger: pipeline ${p.name} (${p.id}) refused the run: ${err.message}`);
      out.push({ pipelineId: p.id, pipelineName: p.name, run: null, created: false, refused: { code: err.code, message: err.message } });
    }
  }
  // Thrown last so that a retry (of the event or job) finds the pipelines that did start already keyed.
  if (failure) throw failure;
  return out;
}
