import { headers } from "next/headers";
import { TRPCError } from "@trpc/server";
import { createContext } from "./context";
import { createCaller } from "./root";

/** A tRPC caller for React Server Components, acting as the request's signed-in user. */
export async function serverCaller() {
  return createCaller(await createContext({ headers: await headers() }));
}

/** True for the errors a page should show as "not found" (including another tenant's ids). */
export const isNotFound = (err: unknown) => err instanceof TRPCError && err.code === "NOT_FOUND";
