import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyBearer } from "../auth/tokens";
import { createContext } from "../api/context";
import { apiCaller } from "../api/http";
import { db } from "../db";
import { createToken } from "./api-tokens";
import { addVersion, createModel, promotionWorld, setChampion } from "../testing/promotion";
import { addMember, callerAs, callerWithToken, createTestProject, createUser, mintToken, uniq } from "../testing/factories";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("creating a token", () => {
  it("returns the secret once and stores only its SHA-256", async () => {
    const owner = await createUser();
    const created = await callerAs(owner).token.create({ orgId: owner.orgId, name: "ci", role: "MEMBER" });
    expect(created.secret).toMatch(/^cairn_[A-Za-z0-9_-]{40}$/);
    expect(created.token).toMatchObject({ name: "ci", role: "MEMBER", state: "active", createdBy: owner.email, lastUsedAt: null });
    expect(created.secret.startsWith(created.token.prefix)).toBe(true);

    const row = await db().apiToken.findUniqueOrThrow({ where: { id: created.token.id } });
    expect(row.secretHash).toBe(sha256(created.secret));
    expect(JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(created.secret);
    expect(row.prefix.length).toBeLessThan(created.secret.length / 3);

    // The secret is not shown again: not in the list, not in the audit log.
    const listed = await callerAs(owner).token.list({ orgId: owner.orgId });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(listed.find((t) => t.id === created.token.id)).not.toHaveProperty("secret");
    const audit = await db().auditEvent.findMany({ where: { orgId: owner.orgId } });
    expect(JSON.stringify(audit)).not.toContain(created.secret);
  });

  it("gives every token a different secret", async () => {
    const owner = await createUser();
    const secrets = await Promise.all([1, 2, 3].map(async () => (await mintToken(owner)).secret));
    expect(new Set(secrets).size).toBe(3);
  });

  it("refuses a role above the creator's", async () => {
    const owner = await createUser();
    const member = await createUser();
    await addMember(owner.orgId, member, "MEMBER");
    await expect(callerAs(member).token.create({ orgId: owner.orgId, name: "x", role: "ADMIN" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(member).token.create({ orgId: owner.orgId, name: "x", role: "VIEWER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The service enforces the ceiling itself, whatever the procedure's minimum role.
    const actor = { type: "user" as const, id: member.userId, label: member.email };
    await expect(
      createToken({ orgId: owner.orgId, actor, actorRole: "MEMBER", actorProjectScope: null, name: "x", role: "ADMIN" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      createToken({ orgId: owner.orgId, actor, actorRole: "VIEWER", actorProjectScope: null, name: "x", role: "MEMBER" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const viewerToken = await createToken({ orgId: owner.orgId, actor, actorRole: "MEMBER", actorProjectScope: null, name: "x", role: "VIEWER" });
    expect(viewerToken.token.role).toBe("VIEWER");
    expect(await db().apiToken.count({ where: { orgId: owner.orgId } })).toBe(1);
  });

  it("never issues an OWNER token", async () => {
    const owner = await createUser();
    await expect(
      // @ts-expect-error OWNER is not a token role; the input schema must refuse it at run time too.
      callerAs(owner).token.create({ orgId: owner.orgId, name: "x", role: "OWNER" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("lets an ADMIN token mint a token of at most its own role", async () => {
    const owner = await createUser();
    const { secret } = await mintToken(owner, { role: "ADMIN" });
    const asToken = await callerWithToken(secret);
    const child = await asToken.token.create({ orgId: owner.orgId, name: "child", role: "ADMIN" });
    expect(child.token).toMatchObject({ role: "ADMIN", createdBy: null });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { orgId: owner.orgId, action: "token.create", targetId: child.token.id } });
    expect(audit).toMatchObject({ actorType: "token", actorLabel: expect.stringContaining("token ") });
  });
});

describe("authenticating with a token", () => {
  it("resolves the token's org, project and role and records lastUsedAt", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const { secret, token } = await mintToken(owner, { role: "MEMBER", projectId: project.id });
    const startedAt = new Date();
    const me = await (await callerWithToken(secret)).auth.me();
    expect(me).toMatchObject({ kind: "token", id: token.id, orgId: owner.orgId, projectId: project.id, role: "MEMBER", email: null });
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1000);
    const listed = await callerAs(owner).token.list({ orgId: owner.orgId });
    expect(listed.find((t) => t.id === token.id)?.lastUsedAt).toEqual(row.lastUsedAt);
  });

  it("refreshes lastUsedAt only once it is older than a minute", async () => {
    const owner = await createUser();
    const { secret, token } = await mintToken(owner);
    await verifyBearer(secret);
    const first = (await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt;
    await verifyBearer(secret);
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).toEqual(first);
    const longAgo = new Date(Date.now() - 2 * 60_000);
    await db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: longAgo } });
    await verifyBearer(secret);
    const refreshed = (await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt;
    expect(refreshed!.getTime()).toBeGreaterThan(longAgo.getTime() + 60_000);
  });

  it("refuses a revoked token with UNAUTHORIZED", async () => {
    const owner = await createUser();
    const { secret, token } = await mintToken(owner);
    await expect((await callerWithToken(secret)).auth.me()).resolves.toMatchObject({ id: token.id });
    const revoked = await callerAs(owner).token.revoke({ orgId: owner.orgId, tokenId: token.id });
    expect(revoked).toMatchObject({ state: "revoked" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await verifyBearer(secret)).toBeNull();
    const caller = await callerWithToken(secret);
    await expect(caller.auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("revoked") });
    await expect(caller.org.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // Revoking twice is harmless and writes one audit event.
    await callerAs(owner).token.revoke({ orgId: owner.orgId, tokenId: token.id });
    expect(await db().auditEvent.count({ where: { action: "token.revoke", targetId: token.id } })).toBe(1);
  });

  it("refuses an expired token with UNAUTHORIZED, and accepts it until then", async () => {
    const owner = await createUser();
    const expired = await mintToken(owner, { expiresAt: new Date(Date.now() - 1000) });
    const valid = await mintToken(owner, { expiresAt: new Date(Date.now() + 3_600_000) });
    await expect((await callerWithToken(expired.secret)).auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect((await callerWithToken(valid.secret)).auth.me()).resolves.toMatchObject({ id: valid.token.id });
    const listed = await callerAs(owner).token.list({ orgId: owner.orgId });
    expect(listed.find((t) => t.id === expired.token.id)?.state).toBe("expired");
    expect(listed.find((t) => t.id === valid.token.id)?.state).toBe("active");
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: expired.token.id } })).lastUsedAt).toBeNull();
  });

  it("refuses unknown and malformed secrets", async () => {
    const owner = await createUser();
    const { secret } = await mintToken(owner);
    for (const bad of ["", "cairn_", `${secret}x`, secret.slice(0, -1), secret.replace("cairn_", "other_"), `cairn_${"a".repeat(300)}`]) {
      expect(await verifyBearer(bad), bad).toBeNull();
      await expect((await callerWithToken(bad)).auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
  });

  it("refuses a token whose organisation was deleted", async () => {
    const owner = await createUser();
    const { secret } = await mintToken(owner);
    await db().organization.delete({ where: { id: owner.orgId } });
    expect(await verifyBearer(secret)).toBeNull();
  });

  it("rejects an expiry in the past at creation", async () => {
    const owner = await createUser();
    await expect(
      callerAs(owner).token.create({ orgId: owner.orgId, name: uniq("t"), role: "VIEWER", expiresAt: new Date(Date.now() - 60_000) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("listing tokens", () => {
  it("hides revoked tokens on request and never lists another org's tokens", async () => {
    const owner = await createUser();
    const other = await createUser();
    const kept = await mintToken(owner);
    const gone = await mintToken(owner);
    await mintToken(other);
    await callerAs(owner).token.revoke({ orgId: owner.orgId, tokenId: gone.token.id });
    const all = await callerAs(owner).token.list({ orgId: owner.orgId });
    expect(all.map((t) => t.id).sort()).toEqual([kept.token.id, gone.token.id].sort());
    const active = await callerAs(owner).token.list({ orgId: owner.orgId, includeRevoked: false });
    expect(active.map((t) => t.id)).toEqual([kept.token.id]);
  });
});

describe("tokens descended from a member (a token minted by a token)", () => {
  /** Member M (ADMIN) makes token A; A makes token B. */
  async function chain() {
    const owner = await createUser();
    const m = await createUser();
    await addMember(owner.orgId, m, "ADMIN");
    const a = await callerAs(m).token.create({ orgId: owner.orgId, name: "a", role: "ADMIN" });
    const b = await (await callerWithToken(a.secret)).token.create({ orgId: owner.orgId, name: "b", role: "ADMIN" });
    return { owner, m, a, b };
  }
  const me = async (secret: string) => (await callerWithToken(secret)).auth.me();

  it("records the member at the root of the chain on every token", async () => {
    const { m, a, b } = await chain();
    const c = await (await callerWithToken(b.secret)).token.create({ orgId: (await me(b.secret)).orgId!, name: "c", role: "MEMBER" });
    const rows = await db().apiToken.findMany({ where: { id: { in: [a.token.id, b.token.id, c.token.id] } }, select: { rootUserId: true } });
    expect(rows.map((r) => r.rootUserId)).toEqual([m.userId, m.userId, m.userId]);
  });

  it("all stop working when the member is removed", async () => {
    const { owner, m, a, b } = await chain();
    await callerAs(owner).member.remove({ orgId: owner.orgId, userId: m.userId });
    await expect(me(a.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(me(b.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: b.token.id } })).revokedAt).toBeInstanceOf(Date);
    const event = await db().auditEvent.findFirstOrThrow({ where: { orgId: owner.orgId, action: "member.remove" } });
    expect(event.after).toEqual({ tokensRevoked: 2 });
  });

  it("all stop working when the member leaves", async () => {
    const { owner, m, a, b } = await chain();
    await callerAs(m).member.remove({ orgId: owner.orgId, userId: m.userId });
    await expect(me(a.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(me(b.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("are capped at the member's new role when the member is demoted", async () => {
    const { owner, m, a, b } = await chain();
    await callerAs(owner).member.setRole({ orgId: owner.orgId, userId: m.userId, role: "VIEWER" });
    await expect(me(a.secret)).resolves.toMatchObject({ role: "VIEWER" });
    await expect(me(b.secret)).resolves.toMatchObject({ role: "VIEWER" });
    const asB = await callerWithToken(b.secret);
    await expect(asB.token.create({ orgId: owner.orgId, name: "d", role: "VIEWER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asB.member.invite({ orgId: owner.orgId, email: `${uniq("x")}@example.test`, role: "VIEWER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const rows = await db().apiToken.findMany({ where: { id: { in: [a.token.id, b.token.id] } }, select: { role: true } });
    expect(rows.map((r) => r.role)).toEqual(["VIEWER", "VIEWER"]);
  });

  it("are refused at verification when the root member is no longer in the org, even if revocation was missed", async () => {
    const { owner, m, b } = await chain();
    // Defence in depth: the membership disappears without going through removeMember.
    await db().membership.delete({ where: { userId_orgId: { userId: m.userId, orgId: owner.orgId } } });
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: b.token.id } })).revokedAt).toBeNull();
    await expect(me(b.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("act with at most the root member's current role at verification", async () => {
    const { owner, m, b } = await chain();
    await db().membership.update({ where: { userId_orgId: { userId: m.userId, orgId: owner.orgId } }, data: { role: "MEMBER" } });
    await expect(me(b.secret)).resolves.toMatchObject({ role: "MEMBER" });
    await expect((await callerWithToken(b.secret)).member.invite({ orgId: owner.orgId, email: `${uniq("x")}@example.test`, role: "VIEWER" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("refuses a token with no member behind it (other than a run's token)", async () => {
    const { b } = await chain();
    await db().apiToken.update({ where: { id: b.token.id }, data: { rootUserId: null } });
    await expect(me(b.secret)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("a token scoped to serving (predict)", () => {
  it("is no credential for tRPC or /api/v1, only for the serving process", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const { secret, token } = await mintToken(owner, { role: "VIEWER", projectId: project.id });
    const headers = new Headers({ authorization: `Bearer ${secret}` });
    // Before scoping it is a project VIEWER token everywhere.
    expect((await createContext({ headers })).identity).not.toBeNull();
    await expect(callerWithToken(secret).then((c) => c.project.get({ projectId: project.id }))).resolves.toMatchObject({ id: project.id });

    await db().apiToken.update({ where: { id: token.id }, data: { scope: "predict" } });
    expect(await verifyBearer(secret)).toMatchObject({ scope: "predict" });
    expect(await createContext({ headers })).toMatchObject({ identity: null, badToken: true });
    await expect(callerWithToken(secret).then((c) => c.project.get({ projectId: project.id }))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(apiCaller(new Request("http://cairn.test/api/v1/whoami", { headers }))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("creating a predict token", () => {
  it("makes a serving-only token for a project or one deployment, and refuses what it cannot name", async () => {
    const w = await promotionWorld();
    const { model } = await createModel(w, { required: 1, min_role: "ADMIN" });
    const v1 = await addVersion(w, model.id);
    await setChampion(model.id, v1.id);
    const admin = callerAs(w.admin1);
    const dep = await admin.deployment.create({ projectId: w.project.id, environment: "staging", name: "eta", modelId: model.id });
    const base = { orgId: w.owner.orgId, projectId: w.project.id, role: "VIEWER" as const };

    const one = await admin.token.create({ ...base, name: "eta-only", scope: "predict", deployment: "eta" });
    expect(one.token).toMatchObject({ scope: "predict", deploymentId: dep.id, projectId: w.project.id });
    expect(await verifyBearer(one.secret)).toMatchObject({ scope: "predict", deploymentId: dep.id });
    // Serving only: tRPC and /api/v1 refuse it.
    await expect(apiCaller(new Request("http://cairn.test/api/v1/whoami", { headers: new Headers({ authorization: `Bearer ${one.secret}` }) }))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const projectWide = await admin.token.create({ ...base, name: "all-models", scope: "predict" });
    expect(projectWide.token).toMatchObject({ scope: "predict", deploymentId: null });
    expect((await admin.token.list({ orgId: w.owner.orgId })).find((t) => t.id === one.token.id)).toMatchObject({ scope: "predict", deploymentId: dep.id });

    // A deployment of another project (or none by that name) is NOT_FOUND; nothing is created.
    const before = await db().apiToken.count();
    const other = await createTestProject(w.owner.orgId, w.owner);
    await expect(admin.token.create({ ...base, projectId: other.id, name: "x", scope: "predict", deployment: "eta" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Without a project, or a deployment without the predict scope: BAD_REQUEST naming the field.
    await expect(admin.token.create({ orgId: w.owner.orgId, role: "VIEWER", name: "x", scope: "predict" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("projectId") });
    await expect(admin.token.create({ ...base, name: "x", deployment: "eta" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("scope") });
    expect(await db().apiToken.count()).toBe(before);
  });
});
