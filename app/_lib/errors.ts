import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";

type ClientError = TRPCClientError<AppRouter>;

const isClientError = (err: unknown): err is ClientError => err instanceof TRPCClientError;

/** The server's own message (zod issues are already joined by the errorFormatter), or a generic one. */
export function errorMessage(err: unknown): string {
  if (isClientError(err) || err instanceof Error) return err.message;
  return "Something went wrong";
}

/** Field-level zod messages keyed by input field, for showing next to form inputs. */
export function fieldErrors(err: unknown): Record<string, string | undefined> {
  if (!isClientError(err)) return {};
  // The formatter flattens an unknown input schema, so its field map is typed as `{}`.
  const fields = (err.data?.zodError?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  return Object.fromEntries(Object.entries(fields).map(([key, messages]) => [key, messages?.[0]]));
}
