import { afterEach, describe, expect, it, vi } from "vitest";
import { checkCredentials } from "../auth/credentials";
import { db } from "../db";
import { addMember, callerAs, callerWithToken, createUser, mintToken, TEST_PASSWORD, uniq, type TestUser } from "../testing/factories";
import { INVITATION_TTL_MS } from "./invitations";

const roleIn = async (orgId: string, userId: string) =>
  (await db().membership.findUnique({ where: { userId_orgId: { userId, orgId } } }))?.role ?? null;
const secretOf = (link: string) => {
  const match = /\/invite\/([A-Za-z0-9_-]+)$/.exec(link);
  if (!match?.[1]) throw new Error(`not an invitation link: ${link}`);
  return match[1];
};
const newAddress = (label = "newcomer") => `${uniq(label)}@example.test`;
const userIdOf = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id;

async function orgWith(role: "ADMIN" | "MEMBER" | "VIEWER"): Promise<{ owner: TestUser; user: TestUser }> {
  const owner = await createUser();
  const user = await createUser();
  await addMember(owner.orgId, user, role);
  return { owner, user };
}

afterEach(() => {
  delete process.env.CAIRN_SIGNUP;
});

describe("claiming an invitation", () => {
  it("needs the link: signing up with the invited (unverified) address accepts nothing", async () => {
    const owner = await createUser();
    const victim = newAddress("victim");
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email: victim, role: "ADMIN" });
    // The attacker types the invited address without having its link.
    await expect(callerAs(null).auth.signUp({ email: victim, name: "Attacker", password: TEST_PASSWORD })).resolves.toEqual({ ok: true });
    const attackerId = await userIdOf(victim);
    expect(await roleIn(owner.orgId, attackerId)).toBeNull();
    await expect(callerAs(owner).member.list({ orgId: owner.orgId })).resolves.toMatchObject({ invitations: [{ id: invited.invitation.id }] });
    // Nor does the attacker's account see the invitation among its own: it was made before the account existed.
    const attacker = { kind: "user" as const, userId: attackerId, email: victim, name: "Attacker" };
    await expect(callerAs(attacker).invitation.listMine()).resolves.toEqual([]);
    await expect(callerAs(attacker).invitation.respond({ invitationId: invited.invitation.id, accept: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lets the link's holder sign up into the organisation, once", async () => {
    const owner = await createUser();
    const email = newAddress();
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email, role: "VIEWER" });
    expect(invited.link).toMatch(/^https?:\/\/[^/]+\/invite\/[A-Za-z0-9_-]{43}$/);
    const secret = secretOf(invited.link);
    // Only the SHA-256 of the link's secret is stored.
    const row = await db().invitation.findUniqueOrThrow({ where: { id: invited.invitation.id } });
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);

    await expect(callerAs(null).invitation.preview({ secret })).resolves.toEqual({ orgName: `${owner.name} org`, email, role: "VIEWER", invitedBy: owner.email });
    await callerAs(null).auth.signUp({ email, name: "Newcomer", password: TEST_PASSWORD, invitation: secret });
    const userId = await userIdOf(email);
    expect(await roleIn(owner.orgId, userId)).toBe("VIEWER");
    // Joining through an invitation makes no organisation of one's own.
    expect(await db().membership.count({ where: { userId } })).toBe(1);
    expect((await callerAs(owner).member.list({ orgId: owner.orgId })).invitations).toEqual([]);

    // The link is spent.
    await expect(callerAs(null).invitation.preview({ secret })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const second = newAddress("second");
    await expect(callerAs(null).auth.signUp({ email: second, name: "Second", password: TEST_PASSWORD, invitation: secret })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await db().user.count({ where: { email: second } })).toBe(0);
  });

  it("lets a signed-in user accept through the link; used, cancelled, replaced and expired links are NOT_FOUND", async () => {
    const owner = await createUser();
    const holder = await createUser();
    const first = await callerAs(owner).member.invite({ orgId: owner.orgId, email: newAddress(), role: "MEMBER" });
    await expect(callerAs(holder).invitation.accept({ secret: secretOf(first.link) })).resolves.toEqual({
      orgId: owner.orgId,
      orgSlug: owner.orgSlug,
      role: "MEMBER",
    });
    expect(await roleIn(owner.orgId, holder.userId)).toBe("MEMBER");
    await expect(callerAs(holder).invitation.accept({ secret: secretOf(first.link) })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const other = await createUser();
    const email = newAddress();
    const replaced = await callerAs(owner).member.invite({ orgId: owner.orgId, email, role: "MEMBER" });
    const current = await callerAs(owner).member.invite({ orgId: owner.orgId, email, role: "ADMIN" });
    await expect(callerAs(other).invitation.accept({ secret: secretOf(replaced.link) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await db().invitation.update({ where: { id: current.invitation.id }, data: { createdAt: new Date(Date.now() - INVITATION_TTL_MS - 1000) } });
    await expect(callerAs(other).invitation.accept({ secret: secretOf(current.link) })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const cancelled = await callerAs(owner).member.invite({ orgId: owner.orgId, email: newAddress(), role: "MEMBER" });
    await callerAs(owner).member.cancelInvitation({ orgId: owner.orgId, invitationId: cancelled.invitation.id });
    await expect(callerAs(other).invitation.accept({ secret: secretOf(cancelled.link) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await roleIn(owner.orgId, other.userId)).toBeNull();
    await expect(callerAs(null).invitation.accept({ secret: secretOf(cancelled.link) })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("joins once when the same link is accepted concurrently", async () => {
    const owner = await createUser();
    const users = await Promise.all([createUser(), createUser(), createUser(), createUser()]);
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email: newAddress(), role: "MEMBER" });
    const results = await Promise.allSettled(users.map((u) => callerAs(u).invitation.accept({ secret: secretOf(invited.link) })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code?: string }).code).toBe("NOT_FOUND");
    expect(await db().membership.count({ where: { orgId: owner.orgId } })).toBe(2);
  });

  it("prints the link to the server console (there is no mail delivery yet)", async () => {
    const owner = await createUser();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const email = newAddress();
      const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email, role: "MEMBER" });
      expect(log.mock.calls.map((c) => String(c[0])).filter((line) => line.includes(invited.link))).toEqual([
        expect.stringContaining(`invitation for ${email}`),
      ]);
    } finally {
      log.mockRestore();
    }
  });
});

describe("inviting someone who already has an account", () => {
  it("asks them instead of adding them: the invitation waits in their own list until they accept", async () => {
    const owner = await createUser();
    const existing = await createUser();
    const bystander = await createUser();
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email: existing.email, role: "ADMIN" });
    expect(await roleIn(owner.orgId, existing.userId)).toBeNull();
    const mine = await callerAs(existing).invitation.listMine();
    expect(mine).toEqual([{ id: invited.invitation.id, orgName: `${owner.name} org`, role: "ADMIN", invitedBy: owner.email, createdAt: expect.any(Date) }]);
    await expect(callerAs(bystander).invitation.listMine()).resolves.toEqual([]);
    await expect(callerAs(bystander).invitation.respond({ invitationId: invited.invitation.id, accept: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const asToken = await callerWithToken((await mintToken(existing)).secret);
    await expect(asToken.invitation.listMine()).rejects.toMatchObject({ code: "FORBIDDEN" });

    await expect(callerAs(existing).invitation.respond({ invitationId: invited.invitation.id, accept: true })).resolves.toEqual({
      orgId: owner.orgId,
      orgSlug: owner.orgSlug,
      role: "ADMIN",
    });
    expect(await roleIn(owner.orgId, existing.userId)).toBe("ADMIN");
    await expect(callerAs(existing).invitation.listMine()).resolves.toEqual([]);
  });

  it("lets them decline", async () => {
    const owner = await createUser();
    const existing = await createUser();
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email: existing.email, role: "MEMBER" });
    await expect(callerAs(existing).invitation.respond({ invitationId: invited.invitation.id, accept: false })).resolves.toBeNull();
    expect(await roleIn(owner.orgId, existing.userId)).toBeNull();
    expect(await db().invitation.count({ where: { id: invited.invitation.id } })).toBe(0);
    await expect(callerAs(null).invitation.preview({ secret: secretOf(invited.link) })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers the same whether or not the address has an account", async () => {
    const owner = await createUser();
    const existing = await createUser();
    const shape = (r: { invitation: Record<string, unknown>; link: string }) => ({
      keys: Object.keys(r).sort(),
      invitationKeys: Object.keys(r.invitation).sort(),
      role: r.invitation.role,
      invitedBy: r.invitation.invitedBy,
      link: r.link.replace(/[A-Za-z0-9_-]{43}$/, "<secret>"),
    });
    const forExisting = await callerAs(owner).member.invite({ orgId: owner.orgId, email: existing.email, role: "MEMBER" });
    const forNew = await callerAs(owner).member.invite({ orgId: owner.orgId, email: newAddress(), role: "MEMBER" });
    expect(shape(forExisting)).toEqual(shape(forNew));
    // Tokens invite the same way (on behalf of the member behind them), with the same answer.
    const asToken = await callerWithToken((await mintToken(owner, { role: "ADMIN" })).secret);
    const byToken = await asToken.member.invite({ orgId: owner.orgId, email: (await createUser()).email, role: "MEMBER" });
    expect(shape(byToken)).toEqual(shape(forNew));
  });

  it("still refuses someone who is already a member, and updates a repeated invitation instead of duplicating it", async () => {
    const { owner, user } = await orgWith("MEMBER");
    await expect(callerAs(owner).member.invite({ orgId: owner.orgId, email: user.email, role: "ADMIN" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await roleIn(owner.orgId, user.userId)).toBe("MEMBER");
    const email = newAddress("twice");
    await callerAs(owner).member.invite({ orgId: owner.orgId, email: email.toUpperCase(), role: "VIEWER" });
    await callerAs(owner).member.invite({ orgId: owner.orgId, email, role: "ADMIN" });
    const rows = await db().invitation.findMany({ where: { orgId: owner.orgId } });
    expect(rows.map((i) => [i.email, i.role])).toEqual([[email, "ADMIN"]]);
  });
});

describe("who sees pending invitations", () => {
  it.for(["VIEWER", "MEMBER"] as const)("a %s sees members but no pending invitation addresses", async (role) => {
    const { owner, user } = await orgWith(role);
    const pending = newAddress("pending");
    await callerAs(owner).member.invite({ orgId: owner.orgId, email: pending, role: "MEMBER" });
    const seen = await callerAs(user).member.list({ orgId: owner.orgId });
    expect(seen.members.map((m) => m.userId).sort()).toEqual([owner.userId, user.userId].sort());
    expect(seen.invitations).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain(pending);
    const asToken = await callerWithToken((await mintToken(owner, { role })).secret);
    expect((await asToken.member.list({ orgId: owner.orgId })).invitations).toEqual([]);
  });

  it("an ADMIN sees them", async () => {
    const { owner, user } = await orgWith("ADMIN");
    const pending = newAddress("pending");
    await callerAs(owner).member.invite({ orgId: owner.orgId, email: pending, role: "MEMBER" });
    expect((await callerAs(user).member.list({ orgId: owner.orgId })).invitations.map((i) => i.email)).toEqual([pending]);
  });
});

describe("signing up", () => {
  it("answers the same whether or not the address has an account, and changes nothing for a taken one", async () => {
    const existing = await createUser();
    const fresh = newAddress();
    const forNew = await callerAs(null).auth.signUp({ email: fresh, name: "Fresh", password: TEST_PASSWORD });
    const forTaken = await callerAs(null).auth.signUp({ email: existing.email, name: "Impostor", password: "another password 123" });
    expect(forTaken).toEqual(forNew);
    expect(await db().user.count({ where: { email: existing.email } })).toBe(1);
    await expect(checkCredentials(existing.email, "another password 123", "198.51.100.20")).resolves.toMatchObject({ ok: false });
    await expect(checkCredentials(existing.email, TEST_PASSWORD, "198.51.100.20")).resolves.toMatchObject({ ok: true });
    await expect(checkCredentials(fresh, TEST_PASSWORD, "198.51.100.20")).resolves.toMatchObject({ ok: true });
  });

  it("with CAIRN_SIGNUP=invite-only works only through an invitation link", async () => {
    const owner = await createUser();
    process.env.CAIRN_SIGNUP = "invite-only";
    const uninvited = newAddress("uninvited");
    await expect(callerAs(null).auth.signUp({ email: uninvited, name: "Uninvited", password: TEST_PASSWORD })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("invitation only"),
    });
    expect(await db().user.count({ where: { email: uninvited } })).toBe(0);
    // The invited address typed without the link is refused too.
    const email = newAddress();
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email, role: "MEMBER" });
    await expect(callerAs(null).auth.signUp({ email, name: "Invitee", password: TEST_PASSWORD })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await callerAs(null).auth.signUp({ email, name: "Invitee", password: TEST_PASSWORD, invitation: secretOf(invited.link) });
    expect(await roleIn(owner.orgId, await userIdOf(email))).toBe("MEMBER");
  });

  it("refuses an unknown CAIRN_SIGNUP value rather than falling back to open", async () => {
    process.env.CAIRN_SIGNUP = "closed";
    await expect(callerAs(null).auth.signUp({ email: newAddress(), name: "X", password: TEST_PASSWORD })).rejects.toThrow(/CAIRN_SIGNUP/);
  });
});

describe("the invitee's procedures across accounts", () => {
  it("refuse anonymous callers and tokens, and answer NOT_FOUND for another account's invitation", async () => {
    const owner = await createUser();
    const invitee = await createUser();
    const stranger = await createUser();
    const invited = await callerAs(owner).member.invite({ orgId: owner.orgId, email: invitee.email, role: "MEMBER" });
    const anonymous = callerAs(null);
    await expect(anonymous.invitation.listMine()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anonymous.invitation.respond({ invitationId: invited.invitation.id, accept: true })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anonymous.invitation.accept({ secret: secretOf(invited.link) })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const ownersToken = await callerWithToken((await mintToken(owner, { role: "ADMIN" })).secret);
    await expect(ownersToken.invitation.accept({ secret: secretOf(invited.link) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(ownersToken.invitation.respond({ invitationId: invited.invitation.id, accept: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Declining someone else's invitation is as impossible as accepting it.
    await expect(callerAs(stranger).invitation.respond({ invitationId: invited.invitation.id, accept: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Another organisation's admin cannot cancel it either.
    await expect(callerAs(stranger).member.cancelInvitation({ orgId: stranger.orgId, invitationId: invited.invitation.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerAs(invitee).invitation.listMine()).resolves.toHaveLength(1);
  });
});
