/** Resolving a step's inputs: `${{ params.x }}` in `with`, upstream outputs, dataset versions by name. */
import { db } from "../../db";
import { AppError } from "../../errors";
import type { StepOutputs } from "../schemas";
import { paramPlaceholders, WHOLE_PARAM_PLACEHOLDER } from "../spec";
import type { StepContext } from "./types";


/**
 * Replaces `${{ params.x }}` in every string of `value` by the run's param; a string that is exactly one
 * placeholder takes the param's type (so `rounds: "${{ params.rounds }}"` stays a number).
 */
export function substituteParams(value: unknown, params: Record<string, string | number | boolean>): unknown {
  const param = (name: string) => {
    if (!(name in params)) throw new AppError("BAD_REQUEST", `Unknown param "${name}" in \${{ params.${name} }}`);
    return params[name]!;
  };
  if (typeof value === "string") {
    const whole = WHOLE_PARAM_PLACEHOLDER.exec(value);
    if (whole) return param(whole[1]!);
    return value.replace(paramPlaceholders(), (_, name: string) => String(param(name)));
  }
  if (Array.isArray(value)) return value.map((v) => substituteParams(v, params));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteParams(v, params)]));
  return value;
}

/**
 * The nearest earlier step's output `key` (train reads the validated version, evaluate the trained
 * run ...): among the steps this one waits on first, so a parallel branch never lends its outputs.
 */
export function upstream<K extends keyof StepOutputs>(ctx: StepContext, key: K, what: string): NonNullable<StepOutputs[K]> {
  for (const ancestorsOnly of [true, false]) {
    for (let i = ctx.earlier.length - 1; i >= 0; i--) {
      const e = ctx.earlier[i]!;
      if (ancestorsOnly && !e.ancestor) continue;
      const value = e.outputs[key];
      if (value !== undefined) return value as NonNullable<StepOutputs[K]>;
    }
  }
  throw new AppError("PRECONDITION_FAILED", `Step ${ctx.step.id} needs ${what} from an earlier step, and none produced one`);
}

/** A project's dataset by slug. */
export async function datasetBySlug(projectId: string, slug: string) {
  const dataset = await db().dataset.findFirst({ where: { projectId, slug }, select: { id: true, slug: true } });
  if (!dataset) throw new AppError("NOT_FOUND", `Dataset "${slug}" not found in this project`);
  return dataset;
}

/**
 * The dataset version a step of dataset `slug` uses: `preferred` when it is a version of that dataset
 * (the one that triggered the run, or the one an earlier step checked), otherwise the latest one.
 */
export async function versionOf(projectId: string, slug: string, preferred: unknown): Promise<string> {
  const dataset = await datasetBySlug(projectId, slug);
  if (typeof preferred === "string") {
    const hit = await db().datasetVersion.findFirst({ where: { id: preferred, datasetId: dataset.id, projectId }, select: { id: true } });
    if (hit) return hit.id;
  }
  const latest = await db().datasetVersion.findFirst({ where: { datasetId: dataset.id }, orderBy: { number: "desc" }, select: { id: true } });
  if (!latest) throw new AppError("PRECONDITION_FAILED", `Dataset "${slug}" has no versions yet`);
  return latest.id;
}
