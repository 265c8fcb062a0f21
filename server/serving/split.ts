/** Which version answers a request: the candidate's share of traffic, sticky by request key for A/B. */
import { createHash } from "node:crypto";

/** 0-99 from a key, the same in every serving process (sticky assignment across a cluster). */
export function keyBucket(deploymentId: string, key: string): number {
  return createHash("sha256").update(deploymentId).update("\0").update(key).digest().readUInt32BE(0) % 100;
}

/**
 * "candidate" when the candidate answers, "stable" otherwise. Shadow never routes to the candidate
 * (it only mirrors). A/B with a key is sticky; without one, and for canary, the draw is random.
 */
export function chooseArm(split: { deploymentId: string; strategy: string; candidatePercent: number; hasCandidate: boolean }, key: string | undefined, random = Math.random): "stable" | "candidate" {
  if (!split.hasCandidate || split.strategy === "shadow" || split.candidatePercent <= 0) return "stable";
  if (split.candidatePercent >= 100) return "candidate";
  const bucket = split.strategy === "ab" && key ? keyBucket(split.deploymentId, key) : Math.floor(random() * 100);
  return bucket < split.candidatePercent ? "candidate" : "stable";
}
