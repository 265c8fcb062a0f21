/**
 * Sessions through next-auth itself: sign-in, session reads and sign-out go through its request
 * handler with the real options, and the cookie it sets is then presented to currentUser the way a
 * copied cookie would be.
 */
import NextAuth from "next-auth";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, createUser, TEST_PASSWORD } from "../testing/factories";
import { authOptions, currentUser, type SessionRequest } from "./next-auth";

const HEADERS = { host: "localhost:3000", "x-cairn-client-ip": "198.51.100.40" };

type Jar = Record<string, string>;

/** One request to next-auth's own handler (its Node req/res form), keeping the cookies it sets in `jar`. */
async function handle(jar: Jar, action: "csrf" | "callback" | "signout", method: "GET" | "POST", body?: Record<string, string>) {
  const headers = new Map<string, unknown>();
  let sent: unknown;
  const res = {
    status: () => res,
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    json: (b: unknown) => void (sent = b),
    send: (b: unknown) => void (sent = b),
    end: () => undefined,
  };
  const nextauth = action === "callback" ? ["callback", "credentials"] : [action];
  const req = { query: { nextauth }, body, cookies: { ...jar }, headers: HEADERS, method };
  // The Node (pages) form of the handler: it reads these fields of req and calls these methods of res.
  await NextAuth(req as never, res as never, authOptions());
  const setCookies = headers.get("set-cookie");
  for (const line of Array.isArray(setCookies) ? (setCookies as string[]) : []) {
    const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
    const [name = "", value = ""] = pair.split(/=(.*)/s);
    if (value === "" || attributes.some((a) => /^max-age=0$/i.test(a))) delete jar[name];
    else jar[name] = decodeURIComponent(value);
  }
  return { body: (typeof sent === "string" ? JSON.parse(sent) : sent) as Record<string, unknown> | undefined };
}

async function signIn(email: string, password = TEST_PASSWORD): Promise<Jar> {
  const jar: Jar = {};
  const { body } = await handle(jar, "csrf", "GET");
  const csrfToken = String(body?.csrfToken);
  await handle(jar, "callback", "POST", { csrfToken, email, password, json: "true" });
  expect(Object.keys(jar), "session cookie after sign-in").toContain("next-auth.session-token");
  return jar;
}

async function signOut(jar: Jar): Promise<void> {
  const { body } = await handle(jar, "csrf", "GET");
  await handle(jar, "signout", "POST", { csrfToken: String(body?.csrfToken), json: "true" });
}

/** The session cookie alone, as an attacker who copied it would present it. */
const copied = (jar: Jar): SessionRequest => ({ headers: HEADERS, cookies: { "next-auth.session-token": jar["next-auth.session-token"]! } });

describe("sessions", () => {
  it("a signed-in cookie identifies the user and its session row", async () => {
    const user = await createUser();
    const jar = await signIn(user.email);
    await expect(currentUser(copied(jar))).resolves.toEqual({ kind: "user", userId: user.userId, email: user.email, name: user.name, sessionId: expect.any(String) });
    const sessions = await db().session.findMany({ where: { userId: user.userId } });
    expect(sessions).toMatchObject([{ revokedAt: null, ip: "198.51.100.40" }]);
  });

  it("signing out revokes the session on the server: the old cookie no longer works", async () => {
    const user = await createUser();
    const jar = await signIn(user.email);
    const stolen = copied(jar);
    await signOut(jar);
    expect(jar["next-auth.session-token"]).toBeUndefined();
    // The JWT itself is still validly signed and unexpired; only the server-side revocation stops it.
    await expect(currentUser(stolen)).resolves.toBeNull();
    expect(await db().session.count({ where: { userId: user.userId, revokedAt: null } })).toBe(0);
  });

  it("signing out one session leaves the user's other sessions alone", async () => {
    const user = await createUser();
    const laptop = await signIn(user.email);
    const phone = await signIn(user.email);
    await signOut(laptop);
    await expect(currentUser(copied(laptop))).resolves.toBeNull();
    await expect(currentUser(copied(phone))).resolves.toMatchObject({ userId: user.userId });
  });

  it("signing out everywhere revokes every session of the user and no one else's", async () => {
    const user = await createUser();
    const other = await createUser();
    const laptop = await signIn(user.email);
    const phone = await signIn(user.email);
    const someoneElse = await signIn(other.email);
    const identity = await currentUser(copied(laptop));
    await expect(callerAs(identity).auth.signOutEverywhere()).resolves.toEqual({ revoked: 2 });
    await expect(currentUser(copied(laptop))).resolves.toBeNull();
    await expect(currentUser(copied(phone))).resolves.toBeNull();
    await expect(currentUser(copied(someoneElse))).resolves.toMatchObject({ userId: other.userId });
    await expect(callerAs(null).auth.signOutEverywhere()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses an expired session row and a cookie without a session id", async () => {
    const user = await createUser();
    const jar = await signIn(user.email);
    await db().session.updateMany({ where: { userId: user.userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(currentUser(copied(jar))).resolves.toBeNull();

    // A cookie made before sessions were recorded on the server: a valid JWT with only the user id.
    const { encode } = await import("next-auth/jwt");
    const legacy = await encode({ token: { sub: user.userId }, secret: process.env.NEXTAUTH_SECRET! });
    await expect(currentUser({ headers: HEADERS, cookies: { "next-auth.session-token": legacy } })).resolves.toBeNull();
  });

  it("writes lastSeenAt at most once a minute", async () => {
    const user = await createUser();
    const jar = await signIn(user.email);
    const before = await db().session.findFirstOrThrow({ where: { userId: user.userId } });
    for (let i = 0; i < 3; i++) await currentUser(copied(jar));
    expect((await db().session.findFirstOrThrow({ where: { userId: user.userId } })).lastSeenAt).toEqual(before.lastSeenAt);
    const old = new Date(Date.now() - 120_000);
    await db().session.update({ where: { id: before.id }, data: { lastSeenAt: old } });
    await currentUser(copied(jar));
    expect((await db().session.findFirstOrThrow({ where: { userId: user.userId } })).lastSeenAt.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });
});

describe("old sessions", () => {
  it("are dropped at the user's next sign-in once ended for longer than a session lives", async () => {
    const user = await createUser();
    const old = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    await db().session.createMany({
      data: [
        { userId: user.userId, expiresAt: old, createdAt: old },
        { userId: user.userId, expiresAt: new Date(Date.now() + 1000), revokedAt: old },
        { userId: user.userId, expiresAt: new Date(Date.now() + 1000), revokedAt: new Date() },
      ],
    });
    await signIn(user.email);
    const left = await db().session.findMany({ where: { userId: user.userId }, select: { revokedAt: true } });
    expect(left).toHaveLength(2);
    expect(left.filter((s) => s.revokedAt === null)).toHaveLength(1);
  });
});
