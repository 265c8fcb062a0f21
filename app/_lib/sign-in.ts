import { signIn } from "next-auth/react";

export type SignInResult = { ok: true } | { ok: false; message: string };

const THROTTLED = "Too many failed sign-ins from this address. Wait 15 minutes and try again.";

/**
 * Password sign-in through next-auth without a page redirect. next-auth's client cannot read the
 * throttle's HTTP 429 answer (it has no redirect URL and signIn throws), so that case is recognised here.
 */
export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  let result: Awaited<ReturnType<typeof signIn>>;
  try {
    result = await signIn("credentials", { email, password, redirect: false });
  } catch {
    return { ok: false, message: (await throttleMessage(email)) ?? "Sign-in failed; check your connection and try again." };
  }
  if (result?.ok && !result.error) return { ok: true };
  if (result?.status === 429 || result?.error === "TooManyAttempts") return { ok: false, message: THROTTLED };
  return { ok: false, message: "Wrong e-mail or password." };
}

/** Asks the endpoint once more, reading the throttle's own message when it answers 429. */
async function throttleMessage(email: string): Promise<string | null> {
  const csrf = (await fetch("/api/auth/csrf").then((r) => r.json()).catch(() => null)) as { csrfToken?: string } | null;
  if (!csrf?.csrfToken) return null;
  const res = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, email, password: "", json: "true" }),
  }).catch(() => null);
  if (res?.status !== 429) return null;
  const body = (await res.json().catch(() => null)) as { message?: string } | null;
  return body?.message ?? THROTTLED;
}
