import { db } from "../db";
import { decoyHash, verifyPassword } from "./password";
import { finishSignIn, reserveSignIn } from "./throttle";

export type CredentialCheck =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" | "throttled" };

/** Checks an e-mail and password, with throttling decided before the password is evaluated and an attempt record either way. */
export async function checkCredentials(email: string, password: string, ip: string): Promise<CredentialCheck> {
  const attempt = await reserveSignIn(email, ip);
  if (attempt === null) return { ok: false, reason: "throttled" };
  const user = await db().user.findUnique({ where: { email } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !valid) {
    await finishSignIn(attempt, email, ip, false, user ? "wrong password" : "unknown account");
    return { ok: false, reason: "invalid" };
  }
  await finishSignIn(attempt, email, ip, true, "ok");
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
