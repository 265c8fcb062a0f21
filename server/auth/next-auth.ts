import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { authSecret } from "../env";
import { clientIp } from "../lib/http";
import type { UserIdentity } from "../tenancy/access";
import { checkCredentials } from "./credentials";
import { ZCredentials } from "./schemas";
import { createSession, resolveSession, revokeSession, SESSION_MAX_AGE_S } from "./sessions";

let options: NextAuthOptions | undefined;

/**
 * next-auth configuration: e-mail + password, JWT session cookies that carry only the user id and the
 * id of a server-side Session row, so that signing out (or out everywhere) really ends the session.
 */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  const created: NextAuthOptions = {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, req) {
          const parsed = ZCredentials.safeParse(raw);
          if (!parsed.success) return null;
          const ip = clientIp(req?.headers);
          const result = await checkCredentials(parsed.data.email, parsed.data.password, ip);
          if (!result.ok) {
            if (result.reason === "throttled") throw new Error("TooManyAttempts");
            return null;
          }
          const session = await createSession(result.user.id, ip);
          return { id: result.user.id, email: result.user.email, name: result.user.name, sid: session.id };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) return { sub: user.id, sid: user.sid };
        return { sub: token.sub, sid: token.sid };
      },
      session({ session, token }) {
        return { ...session, user: { id: token.sub ?? "", sid: token.sid ?? "" } };
      },
    },
    events: {
      async signOut({ token }) {
        if (token.sid) await revokeSession(token.sid);
      },
    },
  };
  options = created;
  return created;
}

/** A request as getServerSession reads it outside the App Router (tests, plain HTTP handlers). */
export interface SessionRequest {
  headers: Record<string, string>;
  cookies: Record<string, string>;
}

const IGNORED_RESPONSE = { getHeader() {}, setCookie() {}, setHeader() {} };

/**
 * The signed-in user of the current request (App Router), or of `request` when given. The session row
 * is checked every time, so signed-out, revoked and expired sessions and deleted users lose access.
 */
export async function currentUser(request?: SessionRequest): Promise<UserIdentity | null> {
  const session = request
    ? // next-auth's two-argument form takes Node's req/res; these are the only fields it reads.
      await getServerSession(request as never, IGNORED_RESPONSE as never, authOptions())
    : await getServerSession(authOptions());
  return resolveSession({ userId: session?.user.id, sessionId: session?.user.sid });
}
