/**
 * Tenant isolation: nothing of organisation B is visible or changeable from organisation A. Members
 * of A (any role, OWNER included) get NOT_FOUND, never FORBIDDEN, so ids reveal nothing; anonymous
 * callers get UNAUTHORIZED. B's state is compared before and after to prove nothing changed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { requestPing } from "../system/ping";
import { inviteMember } from "./invitations";
import type { ProjectDto } from "./schemas";
import { addMember, callerAs, callerWithToken, createTestProject, createUser, mintToken, uniq, type TestUser } from "../testing/factories";
import { orgState } from "../testing/org-state";

type Caller = ReturnType<typeof callerAs>;

interface Tenant {
  owner: TestUser;
  member: TestUser;
  project: ProjectDto;
  otherProject: ProjectDto;
  tokenId: string;
  invitationId: string;
  pingId: string;
}

async function createTenant(): Promise<Tenant> {
  const owner = await createUser();
  const member = await createUser();
  await addMember(owner.orgId, member, "MEMBER");
  const project = await createTestProject(owner.orgId, owner);
  const otherProject = await createTestProject(owner.orgId, owner);
  const actor = { type: "user" as const, id: owner.userId, label: owner.email };
  const { token } = await mintToken(owner, { role: "VIEWER", projectId: otherProject.id });
  const invited = await inviteMember({ orgId: owner.orgId, actor, actorRole: "OWNER", email: `${uniq("inv")}@example.test`, role: "VIEWER" });
  const ping = await requestPing({ orgId: owner.orgId, actor, holdMs: 0 });
  return { owner, member, project, otherProject, tokenId: token.id, invitationId: invited.invitation.id, pingId: ping.id };
}

/** Every procedure that names one of B's rows, called with B's own ids. */
function callsOnTenant(b: Tenant): [string, (c: Caller) => Promise<unknown>][] {
  const orgId = b.owner.orgId;
  return [
    ["org.get", (c) => c.org.get({ orgSlug: b.owner.orgSlug })],
    ["org.rename", (c) => c.org.rename({ orgId, name: "taken over" })],
    ["project.list", (c) => c.project.list({ orgId })],
    ["project.get by id", (c) => c.project.get({ projectId: b.project.id })],
    ["project.get by slugs", (c) => c.project.get({ orgSlug: b.owner.orgSlug, projectSlug: b.project.slug })],
    ["project.create", (c) => c.project.create({ orgId, name: uniq("intruder") })],
    ["project.rename", (c) => c.project.rename({ projectId: b.project.id, name: "taken over" })],
    ["project.activity", (c) => c.project.activity({ projectId: b.project.id })],
    ["project.setPrimaryMetric", (c) => c.project.setPrimaryMetric({ projectId: b.project.id, primaryMetric: { key: "x", goal: "max" } })],
    ["project.delete", (c) => c.project.delete({ projectId: b.project.id })],
    ["member.list", (c) => c.member.list({ orgId })],
    ["member.invite", (c) => c.member.invite({ orgId, email: `${uniq("intruder")}@example.test`, role: "OWNER" })],
    ["member.cancelInvitation", (c) => c.member.cancelInvitation({ orgId, invitationId: b.invitationId })],
    ["member.setRole", (c) => c.member.setRole({ orgId, userId: b.member.userId, role: "VIEWER" })],
    ["member.remove", (c) => c.member.remove({ orgId, userId: b.member.userId })],
    ["token.create", (c) => c.token.create({ orgId, name: "intruder", role: "ADMIN" })],
    ["token.list", (c) => c.token.list({ orgId })],
    ["token.revoke", (c) => c.token.revoke({ orgId, tokenId: b.tokenId })],
    ["audit.list", (c) => c.audit.list({ orgId })],
    ["system.ping", (c) => c.system.ping({ orgId })],
    ["system.getPing", (c) => c.system.getPing({ orgId, pingId: b.pingId })],
    ["system.pings", (c) => c.system.pings({ orgId })],
  ];
}

let a: Tenant;
let b: Tenant;
const membersOfA = new Map<"OWNER" | "ADMIN" | "MEMBER" | "VIEWER", TestUser>();
const memberOfA = (role: "OWNER" | "ADMIN" | "MEMBER" | "VIEWER") => {
  const user = membersOfA.get(role);
  if (!user) throw new Error(`no ${role} in A`);
  return user;
};

beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
  membersOfA.set("OWNER", a.owner);
  for (const role of ["ADMIN", "MEMBER", "VIEWER"] as const) {
    const user = await createUser();
    await addMember(a.owner.orgId, user, role);
    membersOfA.set(role, user);
  }
});

describe("a member of organisation A against organisation B", () => {
  describe.each(["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const)("as %s of A", (role) => {
    it("gets NOT_FOUND from every procedure that names B's rows, and B is unchanged", async () => {
      const caller = callerAs(memberOfA(role));
      const before = await orgState(b.owner.orgId);
      for (const [name, call] of callsOnTenant(b)) {
        const outcome = await call(caller).then(
          (data: unknown) => ({ code: "OK", data }),
          (err: { code?: string }) => ({ code: err.code, data: undefined }),
        );
        expect(outcome, name).toEqual({ code: "NOT_FOUND", data: undefined });
      }
      expect(await orgState(b.owner.orgId)).toEqual(before);
    });

    it("sees none of B's rows in its own lists", async () => {
      const caller = callerAs(memberOfA(role));
      const orgs = await caller.org.list();
      expect(orgs.map((o) => o.id).sort()).toEqual([...new Set([a.owner.orgId, memberOfA(role).orgId])].sort());
      expect(orgs.map((o) => o.id)).not.toContain(b.owner.orgId);
      const projects = await caller.project.list({ orgId: a.owner.orgId });
      expect(projects.map((p) => p.id).sort()).toEqual([a.project.id, a.otherProject.id].sort());
      const members = await caller.member.list({ orgId: a.owner.orgId });
      expect(members.members.map((m) => m.userId)).not.toContain(b.owner.userId);
      expect(members.invitations.map((i) => i.id)).not.toContain(b.invitationId);
      const pings = await caller.system.pings({ orgId: a.owner.orgId });
      expect(pings.map((p) => p.id)).toEqual([a.pingId]);
    });
  });

  it("cannot reach B's rows by pairing A's orgId with B's ids (as A's OWNER)", async () => {
    const caller = callerAs(a.owner);
    const orgId = a.owner.orgId;
    const before = await orgState(b.owner.orgId);
    const calls: [string, () => Promise<unknown>][] = [
      ["system.getPing", () => caller.system.getPing({ orgId, pingId: b.pingId })],
      ["token.revoke", () => caller.token.revoke({ orgId, tokenId: b.tokenId })],
      ["member.setRole", () => caller.member.setRole({ orgId, userId: b.member.userId, role: "VIEWER" })],
      ["member.remove", () => caller.member.remove({ orgId, userId: b.member.userId })],
      ["member.cancelInvitation", () => caller.member.cancelInvitation({ orgId, invitationId: b.invitationId })],
      ["project.get by A's slug", () => caller.project.get({ orgSlug: a.owner.orgSlug, projectSlug: b.project.slug })],
    ];
    for (const [name, call] of calls) {
      await expect(call(), name).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(caller.token.create({ orgId, name: "cross", role: "VIEWER", projectId: b.project.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await orgState(b.owner.orgId)).toEqual(before);
    const audit = await caller.audit.list({ orgId, limit: 200 });
    expect(audit.items.map((e) => e.targetId)).not.toContain(b.project.id);
    expect(audit.items.map((e) => e.targetId)).not.toContain(b.tokenId);
  });

  it("answers an unknown id exactly like another tenant's id", async () => {
    const caller = callerAs(a.owner);
    const unknown = await caller.org.rename({ orgId: "doesnotexist0000", name: "x" }).catch((err: Error) => err);
    const foreign = await caller.org.rename({ orgId: b.owner.orgId, name: "x" }).catch((err: Error) => err);
    expect(unknown).toMatchObject({ code: "NOT_FOUND" });
    expect(foreign).toMatchObject({ code: "NOT_FOUND", message: (unknown as Error).message });
  });
});

describe("an anonymous caller", () => {
  it("gets UNAUTHORIZED from every procedure that names B's rows, and B is unchanged", async () => {
    const caller = callerAs(null);
    const before = await orgState(b.owner.orgId);
    for (const [name, call] of callsOnTenant(b)) {
      const outcome = await call(caller).then(
        (data: unknown) => ({ code: "OK", data }),
        (err: { code?: string }) => ({ code: err.code, data: undefined }),
      );
      expect(outcome, name).toEqual({ code: "UNAUTHORIZED", data: undefined });
    }
    expect(await orgState(b.owner.orgId)).toEqual(before);
  });
});

describe("API tokens across tenants", () => {
  it("a token of A gets NOT_FOUND on every procedure that names B's rows", async () => {
    const { secret } = await mintToken(a.owner, { role: "ADMIN" });
    const caller = await callerWithToken(secret);
    const before = await orgState(b.owner.orgId);
    for (const [name, call] of callsOnTenant(b)) {
      await expect(call(caller), name).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await orgState(b.owner.orgId)).toEqual(before);
    expect((await caller.org.list()).map((o) => o.id)).toEqual([a.owner.orgId]);
  });

  describe("a project-scoped token", () => {
    let caller: Caller;
    let ownTokenId: string;
    beforeAll(async () => {
      const { secret, token } = await mintToken(a.owner, { role: "ADMIN", projectId: a.project.id });
      ownTokenId = token.id;
      caller = await callerWithToken(secret);
    });

    it("gets NOT_FOUND for another project of the same organisation", async () => {
      const before = await orgState(a.owner.orgId);
      const other = a.otherProject;
      await expect(caller.project.get({ projectId: other.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(caller.project.get({ orgSlug: a.owner.orgSlug, projectSlug: other.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(caller.project.rename({ projectId: other.id, name: "taken over" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(caller.project.delete({ projectId: other.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(caller.project.setPrimaryMetric({ projectId: other.id, primaryMetric: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(caller.token.revoke({ orgId: a.owner.orgId, tokenId: a.tokenId })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(caller.token.create({ orgId: a.owner.orgId, name: "x", role: "VIEWER", projectId: other.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(caller.token.create({ orgId: a.owner.orgId, name: "x", role: "VIEWER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await orgState(a.owner.orgId)).toEqual(before);
    });

    it("gets FORBIDDEN from organisation-wide procedures", async () => {
      const orgId = a.owner.orgId;
      const before = await orgState(orgId);
      const calls: [string, () => Promise<unknown>][] = [
        ["org.rename", () => caller.org.rename({ orgId, name: "x" })],
        ["project.create", () => caller.project.create({ orgId, name: uniq("p") })],
        ["member.list", () => caller.member.list({ orgId })],
        ["member.invite", () => caller.member.invite({ orgId, email: `${uniq("x")}@example.test`, role: "VIEWER" })],
        ["member.setRole", () => caller.member.setRole({ orgId, userId: a.member.userId, role: "VIEWER" })],
        ["member.remove", () => caller.member.remove({ orgId, userId: a.member.userId })],
        ["member.cancelInvitation", () => caller.member.cancelInvitation({ orgId, invitationId: a.invitationId })],
        ["audit.list", () => caller.audit.list({ orgId })],
        ["system.ping", () => caller.system.ping({ orgId })],
        ["system.getPing", () => caller.system.getPing({ orgId, pingId: a.pingId })],
        ["system.pings", () => caller.system.pings({ orgId })],
      ];
      for (const [name, call] of calls) {
        await expect(call(), name).rejects.toMatchObject({ code: "FORBIDDEN" });
      }
      expect(await orgState(orgId)).toEqual(before);
    });

    it("sees only its own project and that project's tokens", async () => {
      const projects = await caller.project.list({ orgId: a.owner.orgId });
      expect(projects.map((p) => p.id)).toEqual([a.project.id]);
      const tokens = await caller.token.list({ orgId: a.owner.orgId });
      expect(tokens.map((t) => t.id)).toContain(ownTokenId);
      expect(tokens.every((t) => t.projectId === a.project.id)).toBe(true);
      expect(await db().apiToken.count({ where: { orgId: a.owner.orgId, NOT: { projectId: a.project.id } } })).toBeGreaterThan(0);
    });
  });
});
