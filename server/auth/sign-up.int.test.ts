import { afterEach, describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, TEST_PASSWORD, uniq } from "../testing/factories";

afterEach(() => {
  delete process.env.CAIRN_SIGNUP_LIMIT;
});

const attempt = (ip: string) => callerAs(null, { ip }).auth.signUp({ email: `${uniq("new")}@example.test`, name: "New", password: TEST_PASSWORD });

describe("sign-up rate limit per address", () => {
  it("lets CAIRN_SIGNUP_LIMIT sign-ups an hour through from one address, also when they arrive at once", async () => {
    process.env.CAIRN_SIGNUP_LIMIT = "5";
    const ip = "203.0.113.1";
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => attempt(ip)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as { code?: string; message?: string }] : []));
    expect(refused).toHaveLength(7);
    for (const err of refused) expect(err).toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringContaining("Too many sign-ups") });
    expect(await db().signUpAttempt.count({ where: { ip } })).toBe(5);
    // Another address is not affected.
    await expect(attempt("203.0.113.2")).resolves.toEqual({ ok: true });
  });

  it("counts sign-ups for taken addresses too (probing which addresses have accounts costs the same)", async () => {
    process.env.CAIRN_SIGNUP_LIMIT = "2";
    const ip = "203.0.113.3";
    const email = `${uniq("taken")}@example.test`;
    const as = callerAs(null, { ip });
    await as.auth.signUp({ email, name: "First", password: TEST_PASSWORD });
    await as.auth.signUp({ email, name: "Second", password: TEST_PASSWORD });
    await expect(as.auth.signUp({ email, name: "Third", password: TEST_PASSWORD })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("forgets sign-ups older than an hour", async () => {
    process.env.CAIRN_SIGNUP_LIMIT = "1";
    const ip = "203.0.113.4";
    await db().signUpAttempt.create({ data: { ip, at: new Date(Date.now() - 61 * 60 * 1000) } });
    await expect(attempt(ip)).resolves.toEqual({ ok: true });
    await expect(attempt(ip)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});
