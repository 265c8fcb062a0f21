import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { authSecret } from "../env";
import { db } from "../db";
import { clientIp } from "../lib/http";
import type { UserIdentity } from "../tenancy/access";
import { checkCredentials } from "./credentials";
import { ZCredentials } from "./schemas";

let options: NextAuthOptions | undefined;

/** next-auth configuration: e-mail + password, JWT sessions that carry only the user id. */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  const created: NextAuthOptions = {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Password",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, req) {
          const parsed = ZCredentials.safeParse(raw);
          if (!parsed.success) return null;
          const result = await checkCredentials(parsed.data.email, parsed.data.password, clientIp(req?.headers));
          if (!result.ok) {
            if (result.reason === "throttled") throw new Error("TooManyAttempts");
            return null;
          }
          return { id: result.user.id, email: result.user.email, name: result.user.name };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return { sub: token.sub };
      },
      session({ session, token }) {
        return { ...session, user: { id: token.sub ?? "" } };
      },
    },
  };
  options = created;
  return created;
}

/** The signed-in user of the current request (App Router), loaded fresh so deleted users lose access. */
export async function currentUser(): Promise<UserIdentity | null> {
  const session = await getServerSession(authOptions());
  const id = session?.user.id;
  if (!id) return null;
  const user = await db().user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
  return user ? { kind: "user", userId: user.id, email: user.email, name: user.name } : null;
}
