"use client";

import { useQueryClient } from "@tanstack/react-query";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC } from "../../../../../_lib/trpc";

/** While a candidate is in flight the split, the rollout and the ledger move by themselves (rollout job, health checks). */
export const LIVE_POLL_MS = 3_000;

/** After a change everything about deployments (split, ledger, lists) is read again. */
export function useRefreshDeployments() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => refreshAfterWrite(queryClient, trpc.deployment.pathKey());
}
