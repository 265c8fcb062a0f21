import "next-auth";

declare module "next-auth" {
  /** Sessions carry only the user id; everything else is loaded per request. */
  interface Session {
    user: { id: string };
  }
}
