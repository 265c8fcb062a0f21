import { db } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { enqueue } from "../jobs/boss";
import { datasetValidate } from "../jobs/definitions";
import { toJsonValue } from "../lib/stored-json";
import { storedProfile } from "./versions";
import { proposeExpectations } from "./contract-check";
import { ZExpectations, type Expectation } from "./schemas";

export async function getContract(projectId: string, datasetId: string) {
  const dataset = await db().dataset.findFirst({ where: { id: datasetId, projectId }, include: { contract: true } });
  if (!dataset) throw notFound("Dataset");
  const c = dataset.contract;
  return c ? { datasetId, revision: c.revision, expectations: ZExpectations.parse(c.expectations), updatedBy: c.updatedBy, updatedAt: c.updatedAt } : null;
}

/**
 * Saves a new contract revision and re-validates the newest profiled version against it, so the
 * dataset page shows where the data stands under the new rules.
 */
export async function saveContract(args: { projectId: string; orgId: string; datasetId: string; expectations: Expectation[]; actor: Actor }) {
  return db().$transaction(async (tx) => {
    const dataset = await tx.dataset.findFirst({ where: { id: args.datasetId, projectId: args.projectId }, include: { contract: true } });
    if (!dataset) throw notFound("Dataset");
    const expectations = toJsonValue(args.expectations);
    const saved = dataset.contract
      ? await tx.dataContract.update({ where: { id: dataset.contract.id }, data: { expectations, revision: { increment: 1 }, updatedBy: args.actor.label } })
      : await tx.dataContract.create({ data: { projectId: args.projectId, datasetId: dataset.id, expectations, updatedBy: args.actor.label } });
    const latest = await tx.datasetVersion.findFirst({ where: { datasetId: dataset.id, profileStatus: "READY" }, orderBy: { number: "desc" } });
    if (latest) {
      await tx.datasetVersion.update({ where: { id: latest.id }, data: { validation: "PENDING" } });
      await enqueue(datasetValidate, { versionId: latest.id }, { tx });
    }
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "dataset.contract.save",
      target: { type: "dataset", id: dataset.id, label: dataset.slug },
      before: dataset.contract ? { revision: dataset.contract.revision } : undefined,
      after: { revision: saved.revision, expectations: args.expectations.length },
    });
    return { datasetId: dataset.id, revision: saved.revision, expectations: args.expectations, updatedBy: saved.updatedBy, updatedAt: saved.updatedAt };
  });
}

/** Expectations that a profiled version satisfies, as a starting point for its dataset's contract. */
export async function proposeContract(projectId: string, versionId: string): Promise<Expectation[]> {
  const v = await db().datasetVersion.findFirst({ where: { id: versionId, projectId } });
  if (!v) throw notFound("Dataset version");
  if (v.profileStatus !== "READY" || !v.profile) throw new AppError("PRECONDITION_FAILED", "The version is not profiled yet");
  return proposeExpectations(storedProfile(v)!);
}

/** Runs validation again (e.g. after a failed job); returns at once. */
export async function revalidate(projectId: string, versionId: string) {
  const v = await db().datasetVersion.findFirst({ where: { id: versionId, projectId } });
  if (!v) throw notFound("Dataset version");
  if (v.profileStatus !== "READY") throw new AppError("PRECONDITION_FAILED", "The version is not profiled yet");
  await db().$transaction(async (tx) => {
    await tx.datasetVersion.update({ where: { id: v.id }, data: { validation: "PENDING" } });
    await tx.validationReport.deleteMany({ where: { versionId: v.id } });
    await enqueue(datasetValidate, { versionId: v.id }, { tx });
  });
  return { versionId: v.id };
}
