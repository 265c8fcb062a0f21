import { describe, expect, it } from "vitest";
import { checkCredentials } from "../auth/credentials";
import { db } from "../db";
import { addMember, callerAs, callerWithToken, createUser, mintToken, TEST_PASSWORD, uniq, type TestUser } from "../testing/factories";
import { recordAudit, SYSTEM_ACTOR } from "./audit";
import type { AuditEventDto } from "./schemas";

async function eventsOf(owner: TestUser, action?: string): Promise<AuditEventDto[]> {
  const page = await callerAs(owner).audit.list({ orgId: owner.orgId, limit: 200, action });
  return page.items;
}

async function onlyEvent(owner: TestUser, action: string): Promise<AuditEventDto> {
  const events = (await eventsOf(owner, action)).filter((e) => e.action === action);
  expect(events, action).toHaveLength(1);
  return events[0]!;
}

const byUser = (u: TestUser) => ({ actorType: "user", actorLabel: u.email, ip: "127.0.0.1" });

describe("audit events", () => {
  it("org.create and org.rename", async () => {
    const owner = await createUser();
    const created = await onlyEvent(owner, "org.create");
    expect(created).toMatchObject({ actorType: "user", actorLabel: owner.email, targetType: "org", targetId: owner.orgId, targetLabel: owner.orgSlug });
    expect(created.after).toEqual({ name: `${owner.name} org`, slug: owner.orgSlug });

    const second = await callerAs(owner).org.create({ name: "Second Org" });
    const secondEvents = await callerAs(owner).audit.list({ orgId: second.id });
    expect(secondEvents.items).toMatchObject([{ action: "org.create", ...byUser(owner), targetId: second.id, after: { name: "Second Org" } }]);

    await callerAs(owner).org.rename({ orgId: owner.orgId, name: "Renamed Org" });
    const renamed = await onlyEvent(owner, "org.rename");
    expect(renamed).toMatchObject({ ...byUser(owner), targetType: "org", targetId: owner.orgId, before: { name: `${owner.name} org` }, after: { name: "Renamed Org" } });
  });

  it("project.create, project.rename and project.delete", async () => {
    const owner = await createUser();
    const as = callerAs(owner);
    const project = await as.project.create({ orgId: owner.orgId, name: "Churn Model", description: "v1" });
    await as.project.rename({ projectId: project.id, name: "Churn Model 2", description: "v2" });
    await as.project.delete({ projectId: project.id });
    const target = { targetType: "project", targetId: project.id, targetLabel: project.slug, projectId: project.id };
    expect(await onlyEvent(owner, "project.create")).toMatchObject({ ...byUser(owner), ...target, after: { name: "Churn Model", slug: "churn-model" } });
    expect(await onlyEvent(owner, "project.rename")).toMatchObject({
      ...byUser(owner),
      ...target,
      before: { name: "Churn Model", description: "v1" },
      after: { name: "Churn Model 2", description: "v2" },
    });
    expect(await onlyEvent(owner, "project.delete")).toMatchObject({ ...byUser(owner), ...target, before: { name: "Churn Model 2", slug: "churn-model" } });
    // The audit trail outlives the project it describes.
    expect(await db().project.count({ where: { id: project.id } })).toBe(0);
  });

  it("token.create and token.revoke, by a user and by a token", async () => {
    const owner = await createUser();
    const created = await callerAs(owner).token.create({ orgId: owner.orgId, name: "ci", role: "MEMBER" });
    const label = `ci (${created.token.prefix}…)`;
    expect(await onlyEvent(owner, "token.create")).toMatchObject({
      ...byUser(owner),
      targetType: "token",
      targetId: created.token.id,
      targetLabel: label,
      after: { role: "MEMBER", projectId: null, expiresAt: null },
    });

    const admin = await mintToken(owner, { role: "ADMIN" });
    await (await callerWithToken(admin.secret)).token.revoke({ orgId: owner.orgId, tokenId: created.token.id });
    expect(await onlyEvent(owner, "token.revoke")).toMatchObject({
      actorType: "token",
      actorLabel: `token ${admin.token.name} (${admin.token.prefix}…)`,
      targetId: created.token.id,
      targetLabel: label,
      before: { state: "active" },
      after: { state: "revoked" },
    });
  });

  it("member.invite, member.join (from the invitee's list), member.role_change and member.remove", async () => {
    const owner = await createUser();
    const as = callerAs(owner);
    const existing = await createUser();
    const invited = await as.member.invite({ orgId: owner.orgId, email: existing.email, role: "MEMBER" });
    expect(await onlyEvent(owner, "member.invite")).toMatchObject({
      ...byUser(owner),
      targetType: "invitation",
      targetId: invited.invitation.id,
      targetLabel: existing.email,
      after: { role: "MEMBER" },
    });
    await callerAs(existing).invitation.respond({ invitationId: invited.invitation.id, accept: true });
    expect(await onlyEvent(owner, "member.join")).toMatchObject({
      actorType: "user",
      actorLabel: existing.email,
      targetType: "user",
      targetId: existing.userId,
      after: { role: "MEMBER", invitationId: invited.invitation.id, via: "account" },
    });

    await as.member.setRole({ orgId: owner.orgId, userId: existing.userId, role: "ADMIN" });
    expect(await onlyEvent(owner, "member.role_change")).toMatchObject({
      ...byUser(owner),
      targetId: existing.userId,
      before: { role: "MEMBER" },
      after: { role: "ADMIN", tokensCapped: 0 },
    });

    await as.member.remove({ orgId: owner.orgId, userId: existing.userId });
    expect(await onlyEvent(owner, "member.remove")).toMatchObject({
      ...byUser(owner),
      targetId: existing.userId,
      before: { role: "ADMIN" },
      after: { tokensRevoked: 0 },
    });
  });

  it("member.join through an invitation link at sign-up, and member.invite_decline", async () => {
    const owner = await createUser();
    const email = `${uniq("joiner")}@example.test`;
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email, role: "VIEWER" });
    const secret = invited.link.split("/invite/")[1]!;
    await callerAs(null).auth.signUp({ email, name: "Joiner", password: TEST_PASSWORD, invitation: secret });
    const joined = await db().user.findUniqueOrThrow({ where: { email } });
    expect(await onlyEvent(owner, "member.join")).toMatchObject({
      actorType: "user",
      actorLabel: email,
      targetType: "user",
      targetId: joined.id,
      after: { role: "VIEWER", invitationId: invited.invitation.id, via: "link" },
    });

    const other = await createUser();
    const second = await callerAs(owner).member.invite({ orgId: owner.orgId, email: other.email, role: "ADMIN" });
    await callerAs(other).invitation.respond({ invitationId: second.invitation.id, accept: false });
    expect(await onlyEvent(owner, "member.invite_decline")).toMatchObject({
      actorType: "user",
      actorLabel: other.email,
      targetId: second.invitation.id,
      before: { role: "ADMIN" },
    });
  });

  it("member.invite_cancel", async () => {
    const owner = await createUser();
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email: `${uniq("x")}@example.test`, role: "ADMIN" });
    await callerAs(owner).member.cancelInvitation({ orgId: owner.orgId, invitationId: invited.invitation.id });
    expect(await onlyEvent(owner, "member.invite_cancel")).toMatchObject({ ...byUser(owner), targetId: invited.invitation.id, before: { role: "ADMIN" } });
  });

  it("auth.sign_in_failed in every organisation of the account, with the address", async () => {
    const owner = await createUser();
    const user = await createUser();
    await addMember(owner.orgId, user, "VIEWER");
    await expect(checkCredentials(user.email, "not the password", "203.0.113.7")).resolves.toEqual({ ok: false, reason: "invalid" });
    for (const orgOwner of [owner, user]) {
      expect(await onlyEvent(orgOwner, "auth.sign_in_failed")).toMatchObject({
        actorType: "system",
        actorLabel: "sign-in from 203.0.113.7",
        ip: "203.0.113.7",
        targetType: "user",
        targetId: user.userId,
        targetLabel: user.email,
        after: { reason: "wrong password" },
      });
    }
    // A successful sign-in is not an audit event; an unknown account has no organisation to tell.
    await checkCredentials(user.email, TEST_PASSWORD, "203.0.113.7");
    await checkCredentials(`${uniq("ghost")}@example.test`, "whatever", "203.0.113.7");
    expect((await eventsOf(owner, "auth.")).length).toBe(1);
  });

  it("is written in the same transaction as the change: a failed change leaves no event", async () => {
    const owner = await createUser();
    const project = await callerAs(owner).project.create({ orgId: owner.orgId, name: "Dup", slug: "dup" });
    await expect(callerAs(owner).project.create({ orgId: owner.orgId, name: "Dup again", slug: "dup" })).rejects.toMatchObject({ code: "CONFLICT" });
    const creates = await eventsOf(owner, "project.create");
    expect(creates.map((e) => e.targetId)).toEqual([project.id]);
  });
});

describe("audit.list", () => {
  async function orgWithEvents() {
    const owner = await createUser();
    const as = callerAs(owner);
    for (let i = 0; i < 3; i++) await as.project.create({ orgId: owner.orgId, name: uniq("p") });
    for (let i = 0; i < 2; i++) await as.token.create({ orgId: owner.orgId, name: uniq("t"), role: "VIEWER" });
    // Events of one transaction share their timestamp; the id breaks the tie.
    await db().$transaction(async (tx) => {
      for (let i = 0; i < 5; i++) {
        await recordAudit(tx, { orgId: owner.orgId, actor: SYSTEM_ACTOR, action: "member.bulk", target: { type: "user", id: `u${i}` } });
      }
    });
    await as.member.invite({ orgId: owner.orgId, email: `${uniq("i")}@example.test`, role: "MEMBER" });
    return owner;
  }

  async function allPages(owner: TestUser, limit: number, action?: string) {
    const seen: AuditEventDto[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await callerAs(owner).audit.list({ orgId: owner.orgId, limit, cursor, action });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
      expect(pages).toBeLessThan(50);
    } while (cursor);
    return { seen, pages };
  }

  it("pages through every event once, newest first", async () => {
    const owner = await orgWithEvents();
    const everything = await eventsOf(owner);
    expect(everything).toHaveLength(1 + 3 + 2 + 5 + 1);
    for (let i = 1; i < everything.length; i++) {
      expect(everything[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(everything[i]!.at.getTime());
    }
    expect(everything[0]!.action).toBe("member.invite");
    expect(everything.at(-1)!.action).toBe("org.create");

    for (const limit of [1, 2, 5, 12]) {
      const { seen, pages } = await allPages(owner, limit);
      expect(seen.map((e) => e.id), `limit ${limit}`).toEqual(everything.map((e) => e.id));
      expect(pages).toBe(Math.max(1, Math.ceil(everything.length / limit)));
    }
    const last = await callerAs(owner).audit.list({ orgId: owner.orgId, limit: 12 });
    expect(last.nextCursor).toBeNull();
  });

  it("filters by action prefix, also across pages", async () => {
    const owner = await orgWithEvents();
    const members = await eventsOf(owner, "member.");
    expect(members.map((e) => e.action).sort()).toEqual([...Array(5).fill("member.bulk"), "member.invite"].sort());
    const tokens = await eventsOf(owner, "token");
    expect(tokens.map((e) => e.action)).toEqual(["token.create", "token.create"]);
    expect(await eventsOf(owner, "nothing.")).toEqual([]);
    const { seen } = await allPages(owner, 2, "member.");
    expect(seen.map((e) => e.id)).toEqual(members.map((e) => e.id));
  });

  it("does not let a cursor from another organisation reveal its events", async () => {
    const owner = await orgWithEvents();
    const other = await orgWithEvents();
    const foreignCursor = (await eventsOf(other))[3]!.id;
    const page = await callerAs(owner).audit.list({ orgId: owner.orgId, limit: 200, cursor: foreignCursor });
    const otherIds = new Set((await eventsOf(other)).map((e) => e.id));
    expect(page.items.filter((e) => otherIds.has(e.id))).toEqual([]);
  });
});
