import { SYSTEM_ACTOR } from "../audit/audit";
import { defineConsumer, modelVersionRegistered } from "../events/definitions";
import { requestGateInTx } from "./requests";

/** A newly registered version is gated at once when its model has a policy (none saved: nothing to check against). */
export const GATE_CONSUMERS = [
  defineConsumer(modelVersionRegistered, "gates.after-registration", async (tx, { modelId, versionId }, meta) => {
    const version = await tx.modelVersion.findFirst({ where: { id: versionId, modelId, projectId: meta.projectId, archivedAt: null }, select: { id: true } });
    if (!version) return;
    const policy = await tx.gatePolicyRevision.findFirst({ where: { modelId }, select: { id: true } });
    if (!policy) return;
    // A version gated already (a pipeline's gate step may run before this event is dispatched) is not gated again.
    await requestGateInTx(tx, { projectId: meta.projectId, modelId, versionId, actor: SYSTEM_ACTOR, finishedToo: true });
  }),
];
