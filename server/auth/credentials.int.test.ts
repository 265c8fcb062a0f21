import { describe, expect, it } from "vitest";
import { db } from "../db";
import { createUser, TEST_PASSWORD, uniq } from "../testing/factories";
import { checkCredentials } from "./credentials";
import { signInFailuresPerAddress } from "./policy";
import { MAX_FAILURES, WINDOW_MS } from "./throttle";

const MAX_FAILURES_PER_ADDRESS = signInFailuresPerAddress();

describe("checkCredentials", () => {
  it("accepts the right password and records the attempt", async () => {
    const user = await createUser();
    const result = await checkCredentials(user.email, TEST_PASSWORD, "198.51.100.1");
    expect(result).toEqual({ ok: true, user: { id: user.userId, email: user.email, name: user.name } });
    expect(await db().signInAttempt.findMany({ where: { email: user.email }, select: { ip: true, success: true } })).toEqual([
      { ip: "198.51.100.1", success: true },
    ]);
  });

  it("refuses a wrong password and an unknown account alike", async () => {
    const user = await createUser();
    const ghost = `${uniq("ghost")}@example.test`;
    await expect(checkCredentials(user.email, `${TEST_PASSWORD}!`, "198.51.100.2")).resolves.toEqual({ ok: false, reason: "invalid" });
    await expect(checkCredentials(ghost, TEST_PASSWORD, "198.51.100.2")).resolves.toEqual({ ok: false, reason: "invalid" });
    await expect(checkCredentials(user.email, "", "198.51.100.2")).resolves.toEqual({ ok: false, reason: "invalid" });
    expect(await db().signInAttempt.count({ where: { email: { in: [user.email, ghost] }, success: false } })).toBe(3);
  });

  it(`throttles an (account, address) pair after ${MAX_FAILURES} failures, even with the right password`, async () => {
    const user = await createUser();
    const ip = "198.51.100.3";
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      await expect(checkCredentials(user.email, "wrong password", ip)).resolves.toEqual({ ok: false, reason: "invalid" });
    }
    // Nine failures: still allowed.
    await expect(checkCredentials(user.email, TEST_PASSWORD, ip)).resolves.toMatchObject({ ok: true });
    await expect(checkCredentials(user.email, "wrong password", ip)).resolves.toEqual({ ok: false, reason: "invalid" });
    await expect(checkCredentials(user.email, TEST_PASSWORD, ip)).resolves.toEqual({ ok: false, reason: "throttled" });
    await expect(checkCredentials(user.email, "wrong password", ip)).resolves.toEqual({ ok: false, reason: "throttled" });
    // Another address is not throttled, nor is another account from the same address.
    await expect(checkCredentials(user.email, TEST_PASSWORD, "198.51.100.4")).resolves.toMatchObject({ ok: true });
    const other = await createUser();
    await expect(checkCredentials(other.email, TEST_PASSWORD, ip)).resolves.toMatchObject({ ok: true });
  });

  it("throttles failed attempts on unknown accounts too", async () => {
    const ghost = `${uniq("ghost")}@example.test`;
    for (let i = 0; i < MAX_FAILURES; i++) await checkCredentials(ghost, "guess", "198.51.100.5");
    await expect(checkCredentials(ghost, "guess", "198.51.100.5")).resolves.toEqual({ ok: false, reason: "throttled" });
  });

  it("forgets failures older than the window", async () => {
    const user = await createUser();
    const ip = "198.51.100.6";
    const old = new Date(Date.now() - WINDOW_MS - 60_000);
    await db().signInAttempt.createMany({ data: Array.from({ length: MAX_FAILURES }, () => ({ email: user.email, ip, success: false, at: old })) });
    await expect(checkCredentials(user.email, TEST_PASSWORD, ip)).resolves.toMatchObject({ ok: true });
    await db().signInAttempt.createMany({ data: Array.from({ length: MAX_FAILURES }, () => ({ email: user.email, ip, success: false })) });
    await expect(checkCredentials(user.email, TEST_PASSWORD, ip)).resolves.toEqual({ ok: false, reason: "throttled" });
  });

  it(`evaluates at most ${MAX_FAILURES} passwords when 30 wrong ones arrive at once`, async () => {
    const user = await createUser();
    const ip = "198.51.100.7";
    const results = await Promise.all(Array.from({ length: 30 }, () => checkCredentials(user.email, "wrong password", ip)));
    const evaluated = results.filter((r) => !r.ok && r.reason === "invalid").length;
    expect(evaluated).toBe(MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(30 - MAX_FAILURES);
    expect(await db().signInAttempt.count({ where: { email: user.email, ip } })).toBe(MAX_FAILURES);
    await expect(checkCredentials(user.email, TEST_PASSWORD, ip)).resolves.toEqual({ ok: false, reason: "throttled" });
  });

  it(`limits one address to ${MAX_FAILURES_PER_ADDRESS} failures across accounts, also when they arrive at once`, async () => {
    const ip = "198.51.100.8";
    const accounts = Array.from({ length: MAX_FAILURES_PER_ADDRESS + 20 }, () => `${uniq("sprayed")}@example.test`);
    const results = await Promise.all(accounts.map((email) => checkCredentials(email, "Summer2026!", ip)));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(MAX_FAILURES_PER_ADDRESS);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(20);
    // A real account is refused from that address too, and still reachable from another.
    const user = await createUser();
    await expect(checkCredentials(user.email, TEST_PASSWORD, ip)).resolves.toEqual({ ok: false, reason: "throttled" });
    await expect(checkCredentials(user.email, TEST_PASSWORD, "198.51.100.9")).resolves.toMatchObject({ ok: true });
  });

  it("does not count successful sign-ins as failures", async () => {
    const user = await createUser();
    const ip = "198.51.100.10";
    const results = await Promise.all(Array.from({ length: MAX_FAILURES + 5 }, () => checkCredentials(user.email, TEST_PASSWORD, ip)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db().signInAttempt.count({ where: { email: user.email, ip, success: false } })).toBe(0);
  });
});
