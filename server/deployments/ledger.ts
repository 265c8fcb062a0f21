/**
 * The deployment ledger: append-only at the database (migration 20261129064000_deployment_ledger_guard
 * refuses UPDATE, DELETE and TRUNCATE) and hash-chained here, so an edit made around the trigger (by a
 * superuser, or on a restored backup) still shows as the first entry whose hash no longer verifies.
 */
import { createHash } from "node:crypto";
import type { Actor } from "../audit/audit";
import { db, type Prisma, type Tx } from "../db";
import { notFound } from "../errors";
import { canonicalJson } from "../gates/canonical";
import { readStored, toJsonValue } from "../lib/stored-json";
import { ZLedgerProvenance, ZSplit, type LedgerEntryDto, type LedgerKind, type LedgerVerificationDto, type Split } from "./schemas";

/** The prevHash of a deployment's first entry. */
export const GENESIS_HASH = "0".repeat(64);

export interface LedgerAppend {
  deploymentId: string;
  projectId: string;
  kind: LedgerKind;
  /** "user:<id>", "token:<id>", "rule:<name>", "job:<name>" */
  actor: string;
  fromSplit: Split | null;
  toSplit: Split | null;
  evidence: unknown;
  reason: string | null;
}

interface Hashed {
  prevHash: string;
  seq: number;
  kind: string;
  actor: string;
  fromSplit: unknown;
  toSplit: unknown;
  evidence: unknown;
  reason: string | null;
  createdAt: Date;
}

/** SHA-256 of the entry's canonical JSON; values pass through JSON first so what is hashed is what jsonb stores. */
export function entryHash(e: Hashed): string {
  const body = {
    prevHash: e.prevHash,
    seq: e.seq,
    kind: e.kind,
    actor: e.actor,
    fromSplit: e.fromSplit ?? null,
    toSplit: e.toSplit ?? null,
    evidence: e.evidence ?? null,
    reason: e.reason,
    createdAt: e.createdAt.toISOString(),
  };
  return createHash("sha256").update(canonicalJson(JSON.parse(JSON.stringify(body)))).digest("hex");
}

/** The ledger's name for an audit actor. */
export function ledgerActor(actor: Actor): string {
  if (actor.type === "user") return `user:${actor.id ?? "unknown"}`;
  if (actor.type === "token") return `token:${actor.id ?? "unknown"}`;
  return `job:${actor.label}`;
}

/**
 * Appends one entry. Takes the deployment's row lock (a no-op when the caller holds it already), so
 * two appends to one deployment take turns and each sees the other's entry as its predecessor.
 */
export async function appendLedger(tx: Tx, entry: LedgerAppend): Promise<{ seq: number; hash: string }> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Deployment" WHERE "id" = ${entry.deploymentId} AND "projectId" = ${entry.projectId} FOR UPDATE`;
  if (locked.length === 0) throw notFound("Deployment");
  const last = await tx.deploymentLedgerEntry.findFirst({ where: { deploymentId: entry.deploymentId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: the column is TIMESTAMP(3), and the hash must match what is read back.
  const createdAt = new Date();
  const evidence = entry.evidence === undefined || entry.evidence === null ? null : toJsonValue(entry.evidence);
  const hash = entryHash({ ...entry, evidence, seq, prevHash, createdAt });
  await tx.deploymentLedgerEntry.create({
    data: {
      projectId: entry.projectId,
      deploymentId: entry.deploymentId,
      seq,
      kind: entry.kind,
      actor: entry.actor,
      // An absent Json? column stores SQL NULL, which reads back as null: what was hashed.
      ...(entry.fromSplit ? { fromSplit: toJsonValue(entry.fromSplit) } : {}),
      ...(entry.toSplit ? { toSplit: toJsonValue(entry.toSplit) } : {}),
      ...(evidence !== null ? { evidence } : {}),
      reason: entry.reason,
      prevHash,
      hash,
      createdAt,
    },
  });
  return { seq, hash };
}

type EntryRow = Prisma.DeploymentLedgerEntryModel;

async function deploymentEntries(projectId: string, deploymentId: string, tx: Tx = db()): Promise<EntryRow[]> {
  const deployment = await tx.deployment.findFirst({ where: { id: deploymentId, projectId }, select: { id: true } });
  if (!deployment) throw notFound("Deployment");
  return tx.deploymentLedgerEntry.findMany({ where: { deploymentId, projectId }, orderBy: { seq: "asc" } });
}

const splitOf = (v: unknown, what: string): Split | null => (v === null ? null : readStored(ZSplit, v, what));

/** The pipeline provenance a deploy step wrote into the entry's evidence, or null for entries without one. */
function provenanceOf(evidence: unknown) {
  if (evidence === null || typeof evidence !== "object" || !("provenance" in evidence)) return null;
  return readStored(ZLedgerProvenance, evidence.provenance, "ledger provenance");
}

/** The deployment's ledger, oldest first. */
export async function listLedger(args: { projectId: string; deploymentId: string }): Promise<LedgerEntryDto[]> {
  const rows = await deploymentEntries(args.projectId, args.deploymentId);
  return rows.map((r) => ({
    seq: r.seq,
    kind: r.kind,
    actor: r.actor,
    fromSplit: splitOf(r.fromSplit, "ledger split"),
    toSplit: splitOf(r.toSplit, "ledger split"),
    evidence: r.evidence,
    provenance: provenanceOf(r.evidence),
    reason: r.reason,
    prevHash: r.prevHash,
    hash: r.hash,
    createdAt: r.createdAt,
  }));
}

/** Recomputes the chain from the first entry; reports the first seq whose link, order or hash does not verify. */
export async function verifyLedger(args: { projectId: string; deploymentId: string }): Promise<LedgerVerificationDto> {
  const rows = await deploymentEntries(args.projectId, args.deploymentId);
  let prevHash = GENESIS_HASH;
  let brokenAtSeq: number | null = null;
  for (const [i, r] of rows.entries()) {
    const expectedSeq = i + 1;
    const ok = r.seq === expectedSeq && r.prevHash === prevHash && entryHash(r) === r.hash;
    if (!ok) {
      brokenAtSeq = Math.min(r.seq, expectedSeq);
      break;
    }
    prevHash = r.hash;
  }
  return { deploymentId: args.deploymentId, entries: rows.length, valid: brokenAtSeq === null, brokenAtSeq, headHash: rows.at(-1)?.hash ?? null };
}
