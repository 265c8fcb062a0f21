/**
 * Alert channel secrets at rest: AES-256-GCM with a key derived from CAIRN_SECRET_KEY (HKDF-SHA256,
 * info "cairn.alert-secrets.v1", so the key is used for nothing else). Each value has a fresh 96-bit
 * IV; the associated data names the organisation and what the value is, so a ciphertext copied into
 * another organisation's row (or from an SMTP password into a channel) no longer decrypts.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env";

const VERSION = "v1";

let cached: { source: string; key: Buffer } | undefined;

function key(): Buffer {
  const source = env().CAIRN_SECRET_KEY;
  if (!source) {
    throw new Error("CAIRN_SECRET_KEY is not set: alert channel secrets cannot be stored or read (npm start generates one; on several hosts set the same value on every web and worker host)");
  }
  if (cached?.source !== source) cached = { source, key: Buffer.from(hkdfSync("sha256", source, "", "cairn.alert-secrets.v1", 32)) };
  return cached.key;
}

/** What a secret belongs to: the associated data it is bound to. */
export interface SecretScope {
  orgId: string;
  purpose: "alert-channel" | "smtp-password";
}

const aad = (scope: SecretScope) => Buffer.from(`cairn:${scope.purpose}:${scope.orgId}`);

/** `v1.<iv>.<ciphertext>.<tag>` (base64url parts). */
export function encryptSecret(plain: string, scope: SecretScope): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(aad(scope));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** The plain text; throws when the value was altered, belongs elsewhere, or was made with another key. */
export function decryptSecret(stored: string, scope: SecretScope): string {
  const [version, iv, body, tag] = stored.split(".");
  if (version !== VERSION || !iv || body === undefined || !tag) throw new Error("Not an encrypted Cairn secret");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAAD(aad(scope));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("A stored alert secret could not be decrypted: CAIRN_SECRET_KEY differs from the one it was stored with, or the row was altered; enter the channel's secret again");
  }
}
