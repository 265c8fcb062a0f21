import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Fetches queries again after a write. A fetch already in flight may have been answered before the
 * write landed, and invalidateQueries alone would join it rather than start a new one when the query
 * has no data yet (a page still on its first load), leaving the page without the write until its next
 * poll. Cancelling it first makes the refetch start after the write.
 */
export async function refreshAfterWrite(queryClient: QueryClient, queryKey: QueryKey): Promise<void> {
  await queryClient.cancelQueries({ queryKey });
  await queryClient.invalidateQueries({ queryKey });
}
