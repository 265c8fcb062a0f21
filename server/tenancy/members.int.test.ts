import { describe, expect, it } from "vitest";
import { db } from "../db";
import { addMember, callerAs, callerWithToken, createUser, mintToken, uniq, type TestUser } from "../testing/factories";
import { orgState } from "../testing/org-state";

const roleIn = async (orgId: string, user: { userId: string }) =>
  (await db().membership.findUnique({ where: { userId_orgId: { userId: user.userId, orgId } } }))?.role ?? null;

async function orgWith(...roles: ("OWNER" | "ADMIN" | "MEMBER" | "VIEWER")[]): Promise<{ owner: TestUser; users: TestUser[] }> {
  const owner = await createUser();
  const users: TestUser[] = [];
  for (const role of roles) {
    const user = await createUser();
    await addMember(owner.orgId, user, role);
    users.push(user);
  }
  return { owner, users };
}

describe("changing roles", () => {
  it("lets an admin change a member's role", async () => {
    const { owner, users } = await orgWith("ADMIN", "MEMBER");
    const [admin, member] = users as [TestUser, TestUser];
    const result = await callerAs(admin).member.setRole({ orgId: owner.orgId, userId: member.userId, role: "VIEWER" });
    expect(result).toMatchObject({ userId: member.userId, role: "VIEWER" });
    expect(await roleIn(owner.orgId, member)).toBe("VIEWER");
    // Setting the same role again changes nothing and writes no second event.
    await callerAs(admin).member.setRole({ orgId: owner.orgId, userId: member.userId, role: "VIEWER" });
    expect(await db().auditEvent.count({ where: { orgId: owner.orgId, action: "member.role_change" } })).toBe(1);
  });

  it("answers NOT_FOUND for a user who is not a member", async () => {
    const owner = await createUser();
    const stranger = await createUser();
    await expect(callerAs(owner).member.setRole({ orgId: owner.orgId, userId: stranger.userId, role: "ADMIN" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await roleIn(owner.orgId, stranger)).toBeNull();
  });

  it("caps the demoted member's tokens that now outrank them at the new role, and keeps the others", async () => {
    const { owner, users } = await orgWith("ADMIN");
    const admin = users[0]!;
    const adminToken = await callerAs(admin).token.create({ orgId: owner.orgId, name: "admin-ci", role: "ADMIN" });
    const memberToken = await callerAs(admin).token.create({ orgId: owner.orgId, name: "member-ci", role: "MEMBER" });
    const viewerToken = await callerAs(admin).token.create({ orgId: owner.orgId, name: "viewer-ci", role: "VIEWER" });
    await callerAs(owner).member.setRole({ orgId: owner.orgId, userId: admin.userId, role: "MEMBER" });
    await expect((await callerWithToken(adminToken.secret)).auth.me()).resolves.toMatchObject({ role: "MEMBER" });
    await expect((await callerWithToken(memberToken.secret)).auth.me()).resolves.toMatchObject({ role: "MEMBER" });
    await expect((await callerWithToken(viewerToken.secret)).auth.me()).resolves.toMatchObject({ role: "VIEWER" });
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: adminToken.token.id } })).role).toBe("MEMBER");
    const event = await db().auditEvent.findFirstOrThrow({ where: { orgId: owner.orgId, action: "member.role_change" } });
    expect(event.after).toEqual({ role: "MEMBER", tokensCapped: 1 });
  });

  describe("only owners grant, change or remove OWNER", () => {
    it("refuses an ADMIN user", async () => {
      const { owner, users } = await orgWith("ADMIN", "MEMBER");
      const [admin, member] = users as [TestUser, TestUser];
      const as = callerAs(admin);
      const before = await orgState(owner.orgId);
      const attempts: [string, () => Promise<unknown>][] = [
        ["promote a member to OWNER", () => as.member.setRole({ orgId: owner.orgId, userId: member.userId, role: "OWNER" })],
        ["promote oneself to OWNER", () => as.member.setRole({ orgId: owner.orgId, userId: admin.userId, role: "OWNER" })],
        ["demote the owner", () => as.member.setRole({ orgId: owner.orgId, userId: owner.userId, role: "MEMBER" })],
        ["remove the owner", () => as.member.remove({ orgId: owner.orgId, userId: owner.userId })],
        ["invite an OWNER", () => as.member.invite({ orgId: owner.orgId, email: `${uniq("o")}@example.test`, role: "OWNER" })],
      ];
      for (const [what, attempt] of attempts) await expect(attempt(), what).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await orgState(owner.orgId)).toEqual(before);
    });

    it("refuses an ADMIN token", async () => {
      const { owner, users } = await orgWith("MEMBER");
      const { secret } = await mintToken(owner, { role: "ADMIN" });
      const as = await callerWithToken(secret);
      await expect(as.member.setRole({ orgId: owner.orgId, userId: users[0]!.userId, role: "OWNER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(as.member.remove({ orgId: owner.orgId, userId: owner.userId })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await roleIn(owner.orgId, owner)).toBe("OWNER");
    });

    it("allows an OWNER", async () => {
      const { owner, users } = await orgWith("MEMBER");
      await callerAs(owner).member.setRole({ orgId: owner.orgId, userId: users[0]!.userId, role: "OWNER" });
      expect(await roleIn(owner.orgId, users[0]!)).toBe("OWNER");
      // Now two owners: one may demote the other.
      await callerAs(users[0]!).member.setRole({ orgId: owner.orgId, userId: owner.userId, role: "ADMIN" });
      expect(await roleIn(owner.orgId, owner)).toBe("ADMIN");
    });
  });
});

describe("removing and leaving", () => {
  it("lets an admin remove a member and revokes the tokens that member created in that org only", async () => {
    const { owner, users } = await orgWith("ADMIN", "ADMIN");
    const [admin, leaver] = users as [TestUser, TestUser];
    const created = await callerAs(leaver).token.create({ orgId: owner.orgId, name: "ci", role: "MEMBER" });
    const elsewhere = await callerAs(leaver).token.create({ orgId: leaver.orgId, name: "own-org", role: "ADMIN" });
    const ownersToken = await mintToken(owner);

    await expect(callerAs(admin).member.remove({ orgId: owner.orgId, userId: leaver.userId })).resolves.toEqual({ userId: leaver.userId });
    expect(await roleIn(owner.orgId, leaver)).toBeNull();
    await expect((await callerWithToken(created.secret)).auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect((await callerWithToken(elsewhere.secret)).auth.me()).resolves.toMatchObject({ orgId: leaver.orgId });
    await expect((await callerWithToken(ownersToken.secret)).auth.me()).resolves.toMatchObject({ orgId: owner.orgId });
    await expect(callerAs(leaver).member.list({ orgId: owner.orgId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses to let a MEMBER or VIEWER remove someone else", async () => {
    const { owner, users } = await orgWith("MEMBER", "VIEWER", "VIEWER");
    const [member, viewer, target] = users as [TestUser, TestUser, TestUser];
    await expect(callerAs(member).member.remove({ orgId: owner.orgId, userId: target.userId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerAs(viewer).member.remove({ orgId: owner.orgId, userId: target.userId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await roleIn(owner.orgId, target)).toBe("VIEWER");
  });

  it("lets any member leave, recorded as member.leave", async () => {
    const { owner, users } = await orgWith("VIEWER");
    await callerAs(users[0]!).member.remove({ orgId: owner.orgId, userId: users[0]!.userId });
    expect(await roleIn(owner.orgId, users[0]!)).toBeNull();
    const event = await db().auditEvent.findFirstOrThrow({ where: { orgId: owner.orgId, action: "member.leave" } });
    expect(event).toMatchObject({ actorId: users[0]!.userId, targetId: users[0]!.userId, before: { role: "VIEWER" } });
  });
});

describe("the last owner", () => {
  it("can be neither removed nor demoted, by themselves or anyone", async () => {
    const { owner, users } = await orgWith("ADMIN");
    const before = await orgState(owner.orgId);
    const self = callerAs(owner);
    for (const role of ["ADMIN", "MEMBER", "VIEWER"] as const) {
      await expect(self.member.setRole({ orgId: owner.orgId, userId: owner.userId, role })).rejects.toMatchObject({
        code: "PRECONDITION_FAILED",
        message: expect.stringContaining("last owner"),
      });
    }
    await expect(self.member.remove({ orgId: owner.orgId, userId: owner.userId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(callerAs(users[0]!).member.remove({ orgId: owner.orgId, userId: owner.userId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await orgState(owner.orgId)).toEqual(before);
  });

  it("stays an owner when the only two owners demote each other at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, users } = await orgWith("OWNER");
      const other = users[0]!;
      const results = await Promise.allSettled([
        callerAs(owner).member.setRole({ orgId: owner.orgId, userId: other.userId, role: "ADMIN" }),
        callerAs(other).member.setRole({ orgId: owner.orgId, userId: owner.userId, role: "ADMIN" }),
      ]);
      const ok = results.filter((r) => r.status === "fulfilled");
      const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as { code?: string }] : []));
      expect(ok.length, `round ${round}`).toBeLessThanOrEqual(1);
      // The loser is either already demoted when its request is checked (no longer an owner: FORBIDDEN)
      // or still an owner whose target has become the last one (PRECONDITION_FAILED); never a 500.
      for (const err of refused) expect(["PRECONDITION_FAILED", "FORBIDDEN"]).toContain(err.code);
      expect(await db().membership.count({ where: { orgId: owner.orgId, role: "OWNER" } })).toBe(1);
    }
  });

  it("stays an owner when two owners both leave at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, users } = await orgWith("OWNER");
      const other = users[0]!;
      const results = await Promise.allSettled([
        callerAs(owner).member.remove({ orgId: owner.orgId, userId: owner.userId }),
        callerAs(other).member.remove({ orgId: owner.orgId, userId: other.userId }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled").length, `round ${round}`).toBe(1);
      expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as { code?: string })).toMatchObject([
        { code: "PRECONDITION_FAILED" },
      ]);
      expect(await db().membership.count({ where: { orgId: owner.orgId, role: "OWNER" } })).toBe(1);
    }
  });
});
