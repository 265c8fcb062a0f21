import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  /** Sessions carry only the user id and the server-side session id; everything else is loaded per request. */
  interface Session {
    user: { id: string; sid: string };
  }
  /** What `authorize` returns: the user and the server-side session it opened. */
  interface User {
    sid?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}
