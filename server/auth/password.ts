import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { env } from "../env";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const KEY_LENGTH = 32;
const R = 8;
const P = 1;

/**
 * scrypt (memory-hard: 128·N·r bytes, 32 MiB at the default N = 2^15), stored as
 * `scrypt$logN$r$p$salt$hash` so that the cost can be raised without breaking old hashes.
 */
export async function hashPassword(password: string): Promise<string> {
  const logN = env().CAIRN_SCRYPT_LOG_N;
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N: 2 ** logN, r: R, p: P, maxmem: 256 * 2 ** logN * R });
  return ["scrypt", logN, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

const int = (s: string | undefined, min: number, max: number) => {
  const n = /^\d{1,3}$/.test(s ?? "") ? Number(s) : NaN;
  return n >= min && n <= max ? n : null;
};

/** False for a wrong password and for a stored hash that is not one of ours (never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logNs, rs, ps, salt, hash, ...rest] = stored.split("$");
  // Bounds keep a corrupt row from asking scrypt for absurd memory; an empty key would match anything.
  const logN = int(logNs, 1, 20);
  const r = int(rs, 1, 32);
  const p = int(ps, 1, 16);
  if (scheme !== "scrypt" || logN === null || r === null || p === null || !salt || !hash || rest.length > 0) return false;
  const expected = Buffer.from(hash, "base64url");
  if (expected.length < 16 || expected.length > 64) return false;
  const N = 2 ** logN;
  const key = await scrypt(password, Buffer.from(salt, "base64url"), expected.length, { N, r, p, maxmem: 256 * N * r }).catch(() => null);
  return key !== null && timingSafeEqual(key, expected);
}

/** A hash of a random password, compared against when the account does not exist so both paths cost the same. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}
