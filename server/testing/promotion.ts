/**
 * Registry rows for promotion tests, written directly (model, versions, policy revisions, gate
 * reports) as the registry and the gate job would write them, with the report's real SHA-256.
 */
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { db } from "../db";
import { gateReportCompleted } from "../events/definitions";
import { emitEvent } from "../events/outbox";
import { reportSha256 } from "../gates/canonical";
import { defaultPolicy } from "../gates/policy";
import { toJsonValue } from "../lib/stored-json";
import { CHAMPION, ZApprovalRule } from "../registry/names";
import { addMember, callerAs, createTestProject, createUser, uniq, type TestUser } from "./factories";

export interface PromotionWorld {
  owner: TestUser;
  admin1: TestUser;
  admin2: TestUser;
  admin3: TestUser;
  member: TestUser;
  viewer: TestUser;
  /** Registers the versions (ADMIN, so only separation of duties keeps them from approving). */
  creator: TestUser;
  /** Started the run the versions come from (ADMIN too). */
  runAuthor: TestUser;
  project: { id: string; slug: string };
  runId: string;
}

export async function promotionWorld(): Promise<PromotionWorld> {
  const owner = await createUser();
  const users: Record<string, TestUser> = {};
  for (const [name, role] of [["admin1", "ADMIN"], ["admin2", "ADMIN"], ["admin3", "ADMIN"], ["member", "MEMBER"], ["viewer", "VIEWER"], ["creator", "ADMIN"], ["runAuthor", "ADMIN"]] as const) {
    users[name] = await createUser();
    await addMember(owner.orgId, users[name], role);
  }
  const project = await createTestProject(owner.orgId, owner);
  const run = await callerAs(users.runAuthor!).run.create({ projectId: project.id, experiment: "promotion" });
  return { owner, project, runId: run.id, ...(users as Omit<PromotionWorld, "owner" | "project" | "runId">) };
}

export async function createModel(w: PromotionWorld, approvals: z.input<typeof ZApprovalRule> = { required: 2, min_role: "ADMIN" }) {
  const model = await db().registeredModel.create({ data: { projectId: w.project.id, name: uniq("model"), task: "regression", ownerId: w.owner.userId } });
  const policy = await addPolicy(model.id, w.owner.userId, approvals);
  return { model, policy };
}

/** A new policy revision: the default regression policy with the given approvals block (as stored: defaults filled in). */
export async function addPolicy(modelId: string, authorId: string, approvals: z.input<typeof ZApprovalRule>) {
  const last = await db().gatePolicyRevision.findFirst({ where: { modelId }, orderBy: { revision: "desc" } });
  const policy = toJsonValue({ ...defaultPolicy("regression"), approvals: ZApprovalRule.parse(approvals) });
  return db().gatePolicyRevision.create({ data: { modelId, revision: (last?.revision ?? 0) + 1, yaml: "", policy, authorId } });
}

export async function addVersion(w: PromotionWorld, modelId: string, createdById = w.creator.userId) {
  const last = await db().modelVersion.findFirst({ where: { modelId }, orderBy: { number: "desc" } });
  return db().modelVersion.create({
    data: {
      projectId: w.project.id,
      modelId,
      number: (last?.number ?? 0) + 1,
      sha256: randomBytes(32).toString("hex"),
      sizeBytes: 1234n,
      task: "regression",
      signature: { inputs: [], outputs: [] },
      lineage: { source: "run", run: w.runId },
      runId: w.runId,
      createdById,
    },
  });
}

/** A gate report as the gate job writes it (DONE: with its report JSON, SHA-256 and gateReportCompleted). */
export async function addReport(
  projectId: string,
  v: { id: string; modelId: string },
  opts: { policyRevisionId: string; passed: boolean | null; championVersionId: string | null; status?: "PENDING" | "RUNNING" | "DONE" | "FAILED" },
) {
  const status = opts.status ?? "DONE";
  // Keys of several lengths in no sorted order: jsonb re-orders them, the hash must not care.
  const report = status === "DONE" ? { passed: opts.passed, checks: [{ name: "rmse", status: opts.passed ? "pass" : "fail", value: 3.5, ci: [3.1, 3.9] }], z: { aa: 1, b: [1.5, null] } } : null;
  return db().$transaction(async (tx) => {
    const row = await tx.gateReport.create({
      data: {
        projectId,
        modelId: v.modelId,
        versionId: v.id,
        policyRevisionId: opts.policyRevisionId,
        championVersionId: opts.championVersionId,
        status,
        passed: status === "DONE" ? opts.passed : null,
        ...(report ? { report, sha256: reportSha256(report) } : {}),
        completedAt: status === "DONE" || status === "FAILED" ? new Date() : null,
      },
    });
    if (status === "DONE" || status === "FAILED") {
      await emitEvent(tx, gateReportCompleted, {
        projectId,
        payload: { modelId: v.modelId, versionId: v.id, reportId: row.id, policyRevisionId: opts.policyRevisionId, passed: row.passed },
      });
    }
    return row;
  });
}

/** Makes `versionId` champion as the registry's alias "set" does (the first champion of a model). */
export async function setChampion(modelId: string, versionId: string) {
  await db().modelAlias.create({ data: { modelId, name: CHAMPION, versionId } });
  await db().modelAliasEvent.create({ data: { modelId, alias: CHAMPION, fromVersionId: null, toVersionId: versionId, kind: "set" } });
}

export async function championOf(modelId: string): Promise<string | null> {
  return (await db().modelAlias.findUnique({ where: { modelId_name: { modelId, name: CHAMPION } } }))?.versionId ?? null;
}
