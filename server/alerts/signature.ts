/**
 * Signatures of generic webhook alerts: `X-Cairn-Signature: sha256=<hex HMAC-SHA256>` over
 * `<X-Cairn-Timestamp>.<raw body>` with the channel's secret. The timestamp is inside the signed bytes,
 * so a receiver that refuses old timestamps cannot be fed a recorded request again (README "Alerts").
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Cairn-Signature";
export const TIMESTAMP_HEADER = "X-Cairn-Timestamp";
export const DELIVERY_HEADER = "X-Cairn-Delivery";

export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

/**
 * What a receiver does (also used by the tests): the signature matches in constant time and the
 * timestamp is within `toleranceSeconds` of now.
 */
export function verifyWebhookSignature(args: {
  secret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): boolean {
  const ts = Number(args.timestamp);
  if (!args.signature || !Number.isInteger(ts)) return false;
  const now = args.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (args.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(args.secret, ts, args.rawBody));
  const actual = Buffer.from(args.signature);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
