import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

/** A stored hash made independently of the code under test, with any cost. */
function storedHash(password: string, logN: number, r = 8, p = 1): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r });
  return ["scrypt", logN, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

describe("password hashing", () => {
  it("verifies what it hashed and refuses another password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$\d+\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(verifyPassword("correct horse battery staple", hash)).resolves.toBe(true);
    await expect(verifyPassword("correct horse battery stapl", hash)).resolves.toBe(false);
    await expect(verifyPassword("", hash)).resolves.toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
  });

  it("records its cost, so hashes made with another cost still verify", async () => {
    const hash = await hashPassword("pw-1234567890");
    expect(hash.split("$")[1]).toBe(process.env.CAIRN_SCRYPT_LOG_N);
    for (const [logN, r, p] of [
      [11, 8, 1],
      [12, 8, 1],
      [10, 4, 2],
    ] as const) {
      const stored = storedHash("pw-1234567890", logN, r, p);
      await expect(verifyPassword("pw-1234567890", stored), stored).resolves.toBe(true);
      await expect(verifyPassword("pw-0987654321", stored), stored).resolves.toBe(false);
    }
  });

  it("answers false, never throws, for malformed stored hashes", async () => {
    const good = storedHash("pw-1234567890", 10);
    const [, , , , salt, key] = good.split("$");
    const malformed = [
      "",
      "plain text",
      "bcrypt$10$8$1$abc$def",
      "scrypt$10$8$1$salt",
      `scrypt$10$8$1$${salt}$`,
      `scrypt$x$8$1$${salt}$${key}`,
      `scrypt$10$y$1$${salt}$${key}`,
      `scrypt$10$8$z$${salt}$${key}`,
      `scrypt$-3$8$1$${salt}$${key}`,
      `scrypt$1.5$8$1$${salt}$${key}`,
      `scrypt$64$8$1$${salt}$${key}`,
      `scrypt$30$8$1$${salt}$${key}`,
      `scrypt$10$0$1$${salt}$${key}`,
      `scrypt$10$8$1$${salt}$!!!`,
    ];
    for (const stored of malformed) {
      await expect(verifyPassword("pw-1234567890", stored), stored).resolves.toBe(false);
    }
  });
});
