/** Gate policy revisions of a registered model: save (a new revision, audited with its diff), read, list, diff. */
import { db, type Tx } from "../db";
import { AppError, notFound } from "../errors";
import { recordAudit, type Actor } from "../audit/audit";
import { toJsonValue, readStored } from "../lib/stored-json";
import { getModelRow } from "../registry/lookup";
import { ZModelTask, type ModelTask } from "../registry/names";
import { lineDiff, unifiedLines } from "./diff";
import { defaultPolicy, parsePolicyObject, parsePolicyYaml, policyToYaml, ZGatePolicy, type GatePolicy, type GatePolicyInput } from "./policy";
import { requeueGatesForModel } from "./requests";
import type { PolicyDiffDto, PolicyDto, RevisionDto } from "./schemas";

export const taskOf = (model: { task: string }): ModelTask => readStored(ZModelTask, model.task, "model task");

/** Names of revision authors: users by name, API tokens by their label. */
async function authorNames(ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const [users, tokens] = await Promise.all([
    db().user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, email: true } }),
    db().apiToken.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } }),
  ]);
  return new Map([...users.map((u) => [u.id, u.name || u.email] as const), ...tokens.map((t) => [t.id, `token ${t.name}`] as const)]);
}

/** The policy a gate evaluates now: the latest revision, or null when the model has none saved. */
export async function currentRevision(modelId: string, tx: Tx = db()) {
  return tx.gatePolicyRevision.findFirst({ where: { modelId }, orderBy: { revision: "desc" } });
}

export const storedPolicy = (row: { policy: unknown; id: string }): GatePolicy => readStored(ZGatePolicy, row.policy, `gate policy revision ${row.id}`);

/** The model's current policy with its YAML, or the default policy (revision null) when none is saved. */
export async function getPolicy(args: { projectId: string; modelId: string }): Promise<PolicyDto> {
  const model = await getModelRow(args.projectId, args.modelId);
  const task = taskOf(model);
  const row = await currentRevision(model.id);
  if (!row) {
    const policy = defaultPolicy(task);
    return { modelId: model.id, task, revision: null, revisionId: null, yaml: policyToYaml(policy), policy, comment: "", author: null, createdAt: null };
  }
  const names = await authorNames([row.authorId]);
  return {
    modelId: model.id,
    task,
    revision: row.revision,
    revisionId: row.id,
    yaml: row.yaml,
    policy: storedPolicy(row),
    comment: row.comment,
    author: { id: row.authorId, name: names.get(row.authorId) ?? row.authorId },
    createdAt: row.createdAt,
  };
}

/** The default policy of a model's task, as object and YAML (the editor's "reset"). */
export async function getDefaultPolicy(args: { projectId: string; modelId: string }): Promise<{ yaml: string; policy: GatePolicy }> {
  const model = await getModelRow(args.projectId, args.modelId);
  const policy = defaultPolicy(taskOf(model));
  return { yaml: policyToYaml(policy), policy };
}

/**
 * Saves a new revision (max + 1 under a row lock on the model, so two saves never share a number),
 * audits it with the line diff against the previous revision, and re-queues gate evaluation for the
 * model's challenger and latest versions, all in one transaction.
 */
export async function savePolicy(args: {
  projectId: string;
  orgId: string;
  modelId: string;
  yaml?: string;
  policy?: GatePolicyInput;
  comment?: string;
  actor: Actor;
}): Promise<PolicyDto> {
  const model = await getModelRow(args.projectId, args.modelId);
  if (model.archivedAt) throw new AppError("PRECONDITION_FAILED", "The model is archived");
  const task = taskOf(model);
  let policy: GatePolicy;
  let yaml: string;
  if (args.yaml !== undefined) {
    policy = parsePolicyYaml(args.yaml, task);
    yaml = args.yaml;
  } else if (args.policy !== undefined) {
    policy = parsePolicyObject(args.policy, task);
    yaml = policyToYaml(policy);
  } else throw new AppError("BAD_REQUEST", "Send the policy either as yaml or as policy");
  const authorId = args.actor.id ?? "system";

  await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "RegisteredModel" WHERE id = ${model.id} FOR UPDATE`;
    const previous = await currentRevision(model.id, tx);
    const revision = (previous?.revision ?? 0) + 1;
    const row = await tx.gatePolicyRevision.create({ data: { modelId: model.id, revision, yaml, policy: toJsonValue(policy), comment: args.comment ?? "", authorId } });
    const diff = lineDiff(previous?.yaml ?? "", yaml);
    await recordAudit(tx, {
      orgId: args.orgId,
      projectId: args.projectId,
      actor: args.actor,
      action: "gate.policy.save",
      target: { type: "model", id: model.id, label: model.name },
      before: previous ? { revision: previous.revision } : undefined,
      after: { revision, revisionId: row.id, comment: args.comment ?? "", added: diff.added, removed: diff.removed, diff: unifiedLines(diff) },
    });
    await requeueGatesForModel(tx, { projectId: args.projectId, modelId: model.id, actor: args.actor });
  });
  return getPolicy({ projectId: args.projectId, modelId: model.id });
}

/** Every revision of a model's policy, newest first, with the size of its change. */
export async function listRevisions(args: { projectId: string; modelId: string }): Promise<RevisionDto[]> {
  const model = await getModelRow(args.projectId, args.modelId);
  const rows = await db().gatePolicyRevision.findMany({ where: { modelId: model.id }, orderBy: { revision: "asc" } });
  const names = await authorNames(rows.map((r) => r.authorId));
  return rows
    .map((r, i) => {
      const diff = lineDiff(rows[i - 1]?.yaml ?? "", r.yaml);
      return { id: r.id, revision: r.revision, comment: r.comment, author: { id: r.authorId, name: names.get(r.authorId) ?? r.authorId }, createdAt: r.createdAt, added: diff.added, removed: diff.removed };
    })
    .reverse();
}

/** The line diff of the YAML between two revisions (revision 0 is the empty policy). */
export async function diffRevisions(args: { projectId: string; modelId: string; from: number; to: number }): Promise<PolicyDiffDto> {
  const model = await getModelRow(args.projectId, args.modelId);
  const wanted = [args.from, args.to].filter((r) => r > 0);
  const rows = await db().gatePolicyRevision.findMany({ where: { modelId: model.id, revision: { in: wanted } } });
  const text = (revision: number) => {
    if (revision === 0) return "";
    const row = rows.find((r) => r.revision === revision);
    if (!row) throw notFound(`Policy revision ${revision}`);
    return row.yaml;
  };
  const diff = lineDiff(text(args.from), text(args.to));
  return { from: args.from, to: args.to, ...diff };
}
