import { describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, callerWithToken, createUser, mintToken, TEST_PASSWORD } from "../testing/factories";
import { createSession, resolveSession } from "./sessions";
import { verifyPassword } from "./password";

describe("the account page's services", () => {
  it("lists active sessions with the current one marked, and signs out the others only", async () => {
    const user = await createUser();
    const here = await createSession(user.userId, "10.0.0.1");
    const laptop = await createSession(user.userId, "10.0.0.2");
    const phone = await createSession(user.userId, "10.0.0.3");
    const me = await resolveSession({ userId: user.userId, sessionId: here.id });
    const caller = callerAs(me);
    const account = await caller.account.get();
    expect(account.sessions.map((s) => [s.ip, s.current]).sort()).toEqual([["10.0.0.1", true], ["10.0.0.2", false], ["10.0.0.3", false]]);
    expect(await caller.account.signOutOthers()).toEqual({ revoked: 2 });
    expect(await resolveSession({ userId: user.userId, sessionId: laptop.id })).toBeNull();
    expect(await resolveSession({ userId: user.userId, sessionId: phone.id })).toBeNull();
    expect(await resolveSession({ userId: user.userId, sessionId: here.id })).not.toBeNull();
  });

  it("changes the password only with the right current one, ends the other sessions, and audits it", async () => {
    const user = await createUser();
    const here = await createSession(user.userId, null);
    const other = await createSession(user.userId, null);
    const caller = callerAs(await resolveSession({ userId: user.userId, sessionId: here.id }));
    await expect(caller.account.changePassword({ currentPassword: "not my password", newPassword: "a new password 42" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("current password") });
    await expect(caller.account.changePassword({ currentPassword: TEST_PASSWORD, newPassword: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const stored = await db().user.findUniqueOrThrow({ where: { id: user.userId } });
    expect(await verifyPassword(TEST_PASSWORD, stored.passwordHash)).toBe(true);

    expect(await caller.account.changePassword({ currentPassword: TEST_PASSWORD, newPassword: "a new password 42" })).toEqual({ revokedSessions: 1 });
    const changed = await db().user.findUniqueOrThrow({ where: { id: user.userId } });
    expect(await verifyPassword("a new password 42", changed.passwordHash)).toBe(true);
    expect(await verifyPassword(TEST_PASSWORD, changed.passwordHash)).toBe(false);
    expect(await resolveSession({ userId: user.userId, sessionId: other.id })).toBeNull();
    expect(await resolveSession({ userId: user.userId, sessionId: here.id })).not.toBeNull();
    const audit = await db().auditEvent.findMany({ where: { orgId: user.orgId, action: "user.password_change" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ otherSessionsEnded: 1 });
  });

  it("is for signed-in users only: anonymous callers and API tokens are refused", async () => {
    await expect(callerAs(null).account.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const owner = await createUser();
    const { secret } = await mintToken(owner, { role: "ADMIN" });
    await expect((await callerWithToken(secret)).account.signOutOthers()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
