/**
 * One entry per tRPC procedure for the access matrix (server/api/access-matrix.int.test.ts): who may
 * call it and a minimal valid input built from the fixture's ids. A procedure added to the router
 * without an entry here fails that suite: add one line below, next to its router's other entries.
 */
import type { Role } from "../tenancy/schemas";
import { DEPLOYMENT_MATRIX } from "./matrix/deployment";
import { PIPELINE_MATRIX } from "./matrix/pipeline";
import { ALERT_MATRIX } from "./matrix/alert";
import { MONITOR_MATRIX } from "./matrix/monitor";
import { GATE_MATRIX } from "./matrix/gate";
import { MODEL_MATRIX } from "./matrix/model";
import { PROMOTION_MATRIX } from "./matrix/promotion";

/** Ids of tenant A (the one under attack). Ids of rows a procedure needs but the fixture lacks are well-formed stand-ins. */
export interface MatrixFixture {
  orgId: string;
  orgSlug: string;
  projectId: string;
  projectSlug: string;
  runId: string;
  datasetId: string;
  memberUserId: string;
  tokenId: string;
  /** A well-formed id of no row: for inputs naming rows (versions, reports, pings) access is decided first. */
  anyId: string;
}

export interface MatrixEntry {
  /**
   * Who may call it: "public" (anyone), "signed-in" (any identity; it answers only the caller's own
   * data), or the lowest organisation role (org- or project-scoped by its input's orgId/projectId).
   */
  access: "public" | "signed-in" | Role;
  input: (f: MatrixFixture) => unknown;
  /** A "signed-in" procedure that names tenant A in its input: what a member of another org gets. */
  otherOrg?: "NOT_FOUND";
  /**
   * What a project-scoped token for another project of the same org gets. Defaults: NOT_FOUND for
   * project-scoped inputs, FORBIDDEN for org-scoped ones; "narrowed" where the procedure answers
   * only the token's own project instead (allowProjectTokens), so there is nothing to refuse.
   */
  otherProjectToken?: "NOT_FOUND" | "FORBIDDEN" | "narrowed";
}

const P = (f: MatrixFixture) => ({ projectId: f.projectId });
const RUN = (f: MatrixFixture) => ({ projectId: f.projectId, runId: f.runId });

export const PROCEDURE_MATRIX: Record<string, MatrixEntry> = {
  "auth.signUp": { access: "public", input: () => ({ email: "matrix@example.test", name: "M", password: "correct horse battery staple" }) },
  "auth.me": { access: "signed-in", input: () => undefined },
  "auth.signUpPolicy": { access: "public", input: () => undefined },
  "auth.signOutEverywhere": { access: "signed-in", input: () => undefined },
  "account.get": { access: "signed-in", input: () => undefined },
  "account.changePassword": { access: "signed-in", input: () => ({ currentPassword: "wrong-password", newPassword: "another password 123" }) },
  "account.signOutOthers": { access: "signed-in", input: () => undefined },

  "org.list": { access: "signed-in", input: () => undefined },
  "org.get": { access: "signed-in", input: (f) => ({ orgSlug: f.orgSlug }), otherOrg: "NOT_FOUND" },
  "org.create": { access: "signed-in", input: () => ({ name: "Matrix org" }) },
  "org.rename": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, name: "renamed" }) },

  "project.list": { access: "VIEWER", input: (f) => ({ orgId: f.orgId }), otherProjectToken: "narrowed" },
  "project.get": { access: "signed-in", input: P, otherOrg: "NOT_FOUND", otherProjectToken: "NOT_FOUND" },
  "project.create": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, name: "Matrix project" }) },
  "project.rename": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, name: "renamed" }) },
  "project.delete": { access: "ADMIN", input: P },
  "project.activity": { access: "VIEWER", input: P },
  "project.setPrimaryMetric": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, primaryMetric: { key: "test/rmse", goal: "min" } }) },

  "member.list": { access: "VIEWER", input: (f) => ({ orgId: f.orgId }) },
  "member.invite": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, email: "invitee@example.test", role: "VIEWER" }) },
  "member.cancelInvitation": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, invitationId: f.anyId }) },
  "member.setRole": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, userId: f.memberUserId, role: "VIEWER" }) },
  // Any member may leave; removing someone else needs ADMIN (checked by the service).
  "member.remove": { access: "VIEWER", input: (f) => ({ orgId: f.orgId, userId: f.memberUserId }) },

  // Invitation links are the credential: anyone may preview one; accepting and one's own list need a signed-in user.
  "invitation.preview": { access: "public", input: () => ({ secret: "x".repeat(43) }) },
  "invitation.accept": { access: "signed-in", input: () => ({ secret: "x".repeat(43) }) },
  "invitation.listMine": { access: "signed-in", input: () => undefined },
  "invitation.respond": { access: "signed-in", input: (f) => ({ invitationId: f.anyId, accept: false }) },

  "token.create": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, name: "matrix", role: "VIEWER" }), otherProjectToken: "narrowed" },
  "token.list": { access: "ADMIN", input: (f) => ({ orgId: f.orgId }), otherProjectToken: "narrowed" },
  "token.revoke": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, tokenId: f.tokenId }), otherProjectToken: "narrowed" },
  "audit.list": { access: "ADMIN", input: (f) => ({ orgId: f.orgId }) },
  "worker.list": { access: "signed-in", input: () => undefined },
  "worker.pool": { access: "VIEWER", input: (f) => ({ orgId: f.orgId }) },
  "worker.tokens": { access: "ADMIN", input: (f) => ({ orgId: f.orgId }) },
  "worker.createToken": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, name: "matrix worker" }) },
  "worker.revokeToken": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, tokenId: f.anyId }) },
  // Installation admins only: the service refuses everyone else with FORBIDDEN before reading the org
  // (server/fleet/pools.int.test.ts and the roles matrix check that).
  "worker.orgPools": { access: "signed-in", input: () => undefined },
  "worker.setSharedCommands": { access: "signed-in", input: (f) => ({ orgId: f.orgId, allowed: true }) },

  "system.ping": { access: "MEMBER", input: (f) => ({ orgId: f.orgId }) },
  "system.getPing": { access: "VIEWER", input: (f) => ({ orgId: f.orgId, pingId: f.anyId }) },
  "system.pings": { access: "VIEWER", input: (f) => ({ orgId: f.orgId }) },
  "system.health": { access: "signed-in", input: () => undefined },

  "dataset.list": { access: "VIEWER", input: P },
  "dataset.archive": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, datasetId: f.datasetId, archived: true }) },
  "dataset.delete": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, datasetId: f.datasetId }) },
  "dataset.deleteVersion": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, versionId: f.anyId }) },
  "dataset.get": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, datasetId: f.datasetId }) },
  "dataset.create": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, name: "Matrix data" }) },
  "dataset.update": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, datasetId: f.datasetId, name: "renamed" }) },
  "dataset.versions": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, datasetId: f.datasetId }) },
  "dataset.version": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, versionId: f.anyId }) },
  "dataset.setDerivation": {
    access: "MEMBER",
    input: (f) => ({ projectId: f.projectId, versionId: f.anyId, parentVersionIds: [f.anyId], transform: { name: "clean" } }),
  },
  "dataset.contract": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, datasetId: f.datasetId }) },
  "dataset.saveContract": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, datasetId: f.datasetId, expectations: [] }) },
  "dataset.proposeContract": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, versionId: f.anyId }) },
  "dataset.revalidate": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, versionId: f.anyId }) },
  "dataset.compare": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, baseVersionId: f.anyId, targetVersionId: f.anyId }) },
  "dataset.lineage": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, kind: "dataset", id: f.datasetId }) },

  "run.create": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, experiment: "matrix" }) },
  "run.logParams": { access: "MEMBER", input: (f) => ({ ...RUN(f), params: { lr: 0.1 } }) },
  "run.logMetrics": { access: "MEMBER", input: (f) => ({ ...RUN(f), points: [{ key: "loss", step: 0, value: 1 }] }) },
  "run.setTags": { access: "MEMBER", input: (f) => ({ ...RUN(f), tags: { a: "b" } }) },
  "run.finish": { access: "MEMBER", input: RUN },
  "run.get": { access: "VIEWER", input: RUN },
  "run.list": { access: "VIEWER", input: P },
  "run.archive": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, runId: f.runId, archived: true }) },
  "run.delete": { access: "ADMIN", input: RUN },
  "experiment.delete": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, experimentId: f.anyId }) },
  "run.compare": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, runIds: [f.runId] }) },
  "run.experiments": { access: "VIEWER", input: P },

  "training.start": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, datasetVersionId: f.anyId, target: "y", trainer: "ridge" }) },
  "training.cancel": { access: "MEMBER", input: RUN },
  "training.status": { access: "VIEWER", input: RUN },
  "training.logs": { access: "VIEWER", input: RUN },
  "training.commands": { access: "VIEWER", input: P },
  "training.saveCommand": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, name: "matrix", command: "true" }) },
  "training.deleteCommand": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, commandId: f.anyId }) },
  "training.evaluations": { access: "VIEWER", input: RUN },
  "training.evaluation": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, reportId: f.anyId }) },
  "training.evaluate": { access: "MEMBER", input: (f) => ({ ...RUN(f), versionId: f.anyId }) },

  ...MODEL_MATRIX,
  ...GATE_MATRIX,
  ...PROMOTION_MATRIX,
  ...DEPLOYMENT_MATRIX,
  ...PIPELINE_MATRIX,
  ...ALERT_MATRIX,
  ...MONITOR_MATRIX,
};
