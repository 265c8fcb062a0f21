import { DATASET_CONSUMERS } from "../datasets/consumers";
import { DEMO_CONSUMERS } from "../demo/consumers";
import { EVALUATION_CONSUMERS } from "../evaluation/consumers";
import { GATE_CONSUMERS } from "../gates/consumers";
import { PIPELINE_CONSUMERS } from "../pipelines/consumers";
import { PIPELINE_TRIGGER_CONSUMERS } from "../pipelines/triggers/dataset";
import { PROMOTION_CONSUMERS } from "../promotion/consumers";
import { REGISTRY_CONSUMERS } from "../registry/consumers";
import { MONITORING_CONSUMERS } from "../monitoring/consumers";
import type { Consumer } from "./definitions";

/**
 * Every consumer, owned by the domain that reacts: a domain subscribes to another's event through its
 * own consumers file instead of being called by it. Retraining triggers add theirs here.
 */
const ALL: readonly Consumer[] = [...DATASET_CONSUMERS, ...EVALUATION_CONSUMERS, ...REGISTRY_CONSUMERS, ...GATE_CONSUMERS, ...PROMOTION_CONSUMERS, ...PIPELINE_CONSUMERS, ...DEMO_CONSUMERS, ...PIPELINE_TRIGGER_CONSUMERS, ...MONITORING_CONSUMERS];

const names = new Set<string>();
for (const c of ALL) {
  const key = `${c.event.name}/${c.name}`;
  // Deliveries are keyed by consumer name: two consumers sharing one would silently skip each other.
  if (names.has(key)) throw new Error(`Two consumers of ${c.event.name} are named ${c.name}`);
  names.add(key);
}

/** The consumers of an event type, in registration order. */
export function consumersOf(type: string): readonly Consumer[] {
  return ALL.filter((c) => c.event.name === type);
}
