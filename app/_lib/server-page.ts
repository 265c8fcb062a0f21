import { TRPCError } from "@trpc/server";
import { notFound, redirect } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";

/**
 * Runs server-side tRPC calls for a page: no identity sends the visitor to sign-in, and an
 * organisation or project the caller cannot reach (or a malformed slug) is a plain 404.
 */
export async function loadOrFail<T>(load: (caller: Awaited<ReturnType<typeof serverCaller>>) => Promise<T>): Promise<T> {
  const caller = await serverCaller();
  try {
    return await load(caller);
  } catch (err) {
    if (err instanceof TRPCError && err.code === "UNAUTHORIZED") redirect("/sign-in");
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  }
}

/** The signed-in user of the request (by tRPC's auth.me), or null for a visitor without a session. */
export async function signedInUser() {
  try {
    return await (await serverCaller()).auth.me();
  } catch (err) {
    if (err instanceof TRPCError && err.code === "UNAUTHORIZED") return null;
    throw err;
  }
}
