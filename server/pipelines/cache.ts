/**
 * Step caching: a step's input hash is SHA-256 of the canonical JSON of its kind, resolved inputs
 * (upstream output ids, dataset version), `with` after substitution and code identity. An earlier
 * SUCCEEDED step run of the same project with the same hash lends its outputs (status CACHED).
 */
import { createHash } from "node:crypto";
import { db } from "../db";
import { readStored } from "../lib/stored-json";
import { ZStepOutputs, type StepOutputs } from "./schemas";
import type { Prepared } from "./steps/types";

/** JSON with object keys sorted at every level, so equal inputs hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function inputHash(kind: string, prepared: Prepared): string {
  return createHash("sha256").update(canonicalJson({ kind, inputs: prepared.inputs, with: prepared.with, code: prepared.code })).digest("hex");
}

/** The newest SUCCEEDED step run of the project with this hash (never a CACHED one: outputs come from their origin). */
export async function cachedStep(projectId: string, hash: string, exceptStepRunId: string): Promise<{ id: string; outputs: StepOutputs } | null> {
  const hit = await db().pipelineStepRun.findFirst({
    where: { inputHash: hash, status: "SUCCEEDED", id: { not: exceptStepRunId }, run: { projectId } },
    orderBy: { finishedAt: "desc" },
    select: { id: true, outputs: true },
  });
  return hit && hit.outputs !== null ? { id: hit.id, outputs: readStored(ZStepOutputs, hit.outputs, "step outputs") } : null;
}
