import { z } from "zod";
import type { Tx } from "../db";

/**
 * Installation settings for accounts, read on every call (not cached with the rest of env()) so that
 * tests can switch them. README "Configuration" documents both.
 */
const ZSignUpMode = z.enum(["open", "invite-only"]);
export type SignUpMode = z.infer<typeof ZSignUpMode>;

/** `CAIRN_SIGNUP`: "open" (anyone may create an account) or "invite-only" (only through an invitation link). */
export function signUpMode(): SignUpMode {
  const parsed = ZSignUpMode.safeParse(process.env.CAIRN_SIGNUP?.trim() || "open");
  if (!parsed.success) throw new Error(`CAIRN_SIGNUP must be "open" or "invite-only", not "${process.env.CAIRN_SIGNUP}"`);
  return parsed.data;
}

/** `CAIRN_SIGNUP_LIMIT`: sign-up requests allowed per client address per hour. */
export function signUpLimitPerHour(): number {
  const parsed = z.coerce.number().int().min(1).safeParse(process.env.CAIRN_SIGNUP_LIMIT?.trim() || "20");
  if (!parsed.success) throw new Error(`CAIRN_SIGNUP_LIMIT must be a positive whole number, not "${process.env.CAIRN_SIGNUP_LIMIT}"`);
  return parsed.data;
}

/** `CAIRN_SIGNIN_ADDRESS_LIMIT`: failed sign-ins allowed per client address across all accounts in 15 minutes. */
export function signInFailuresPerAddress(): number {
  const parsed = z.coerce.number().int().min(1).safeParse(process.env.CAIRN_SIGNIN_ADDRESS_LIMIT?.trim() || "30");
  if (!parsed.success) throw new Error(`CAIRN_SIGNIN_ADDRESS_LIMIT must be a positive whole number, not "${process.env.CAIRN_SIGNIN_ADDRESS_LIMIT}"`);
  return parsed.data;
}

/**
 * Serialises the check-then-record of one rate-limit key for the rest of the transaction, so that
 * concurrent requests cannot all read the same count before any of them is recorded. Held only for
 * a count and an insert, never during password hashing, so it cannot tie up the connection pool.
 */
export async function lockRateLimitKey(tx: Tx, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}
