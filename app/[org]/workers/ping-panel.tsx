"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BarList, Button, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { useEffect, useState } from "react";
import { StateBadge } from "../../_components/badges";
import { useOrg } from "../../_components/org-context";
import { RelativeTime } from "../../_components/relative-time";
import { EmptyState, ErrorState, FormError, LoadingRows, Section } from "../../_components/states";
import { useTRPC, type RouterOutputs } from "../../_lib/trpc";
import { refreshAfterWrite } from "../../_lib/refresh";

type Ping = RouterOutputs["system"]["getPing"];
const DONE = new Set<Ping["status"]>(["COMPLETED", "FAILED"]);

/** Sends a no-op job through the queue and follows it to a worker and back. */
export function PingPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const [pingId, setPingId] = useState<string | null>(null);
  const ping = useMutation(trpc.system.ping.mutationOptions({ onSuccess: (p) => setPingId(p.id) }));
  const current = useQuery(
    trpc.system.getPing.queryOptions(
      { orgId: org.id, pingId: pingId ?? "" },
      { enabled: pingId !== null, refetchInterval: (q) => (q.state.data && DONE.has(q.state.data.status) ? false : 500) },
    ),
  );
  const pings = useQuery(trpc.system.pings.queryOptions({ orgId: org.id }));
  const finished = current.data && DONE.has(current.data.status);

  useEffect(() => {
    if (finished) void refreshAfterWrite(queryClient, trpc.system.pings.queryKey());
  }, [finished, queryClient, trpc]);

  const completed = (pings.data ?? []).filter((p) => p.status === "COMPLETED" && p.roundTripMs !== null);

  return (
    <Section
      title="Queue round trip"
      description="A ping job goes through the same queue as training jobs; a worker picks it up and answers."
      actions={
        <Button onClick={() => ping.mutate({ orgId: org.id, holdMs: 0 })} loading={ping.isPending} disabled={!can("MEMBER") || (pingId !== null && !finished)}>
          Ping the queue
        </Button>
      }
    >
      {can("MEMBER") ? null : <p className="text-sm text-gray-500">Members and above can ping the queue; your role is {org.role.toLowerCase()}.</p>}
      <FormError error={ping.error} />
      {pingId ? <PingProgress ping={current.data} error={current.error} /> : null}
      {pings.isPending ? (
        <LoadingRows rows={2} label="Loading recent pings" />
      ) : pings.error ? (
        <ErrorState error={pings.error} onRetry={() => void pings.refetch()} />
      ) : pings.data.length === 0 ? (
        <EmptyState title="No pings yet">Ping the queue to check that a worker picks up jobs.</EmptyState>
      ) : (
        <div className="space-y-6">
          <div>
            <p className="mb-2 text-sm font-medium text-gray-700">Round trip of recent pings (ms)</p>
            {completed.length === 0 ? (
              <p className="text-sm text-gray-500">No completed pings yet.</p>
            ) : (
              <BarList
                aria-label="Ping round trips"
                data={completed.map((p) => ({ key: p.id, name: `${p.hostname ?? "?"} · ${p.createdAt.toLocaleTimeString()}`, value: p.roundTripMs ?? 0 }))}
                valueFormatter={(n: number) => `${n} ms`}
                color="blue"
                sortOrder="none"
              />
            )}
          </div>
          <Table aria-label="Recent pings">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Sent</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Worker</TableHeaderCell>
                <TableHeaderCell className="text-right">Round trip</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {pings.data.map((p) => (
                <TableRow key={p.id}>
                  <TableCell>
                    <RelativeTime date={p.createdAt} />
                  </TableCell>
                  <TableCell>
                    <StateBadge state={p.status} />
                  </TableCell>
                  <TableCell>{p.hostname ?? "—"}</TableCell>
                  <TableCell className="text-right">{p.roundTripMs !== null ? `${p.roundTripMs} ms` : "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Section>
  );
}

function PingProgress({ ping, error }: { ping: Ping | undefined; error: unknown }) {
  if (error) return <ErrorState error={error} title="Could not follow the ping" />;
  const text = !ping
    ? "Sending…"
    : ping.status === "QUEUED"
      ? "Queued… waiting for a worker to pick it up"
      : ping.status === "RUNNING"
        ? `Running on ${ping.hostname ?? "a worker"}…`
        : ping.status === "COMPLETED"
          ? `Completed in ${ping.roundTripMs ?? "?"} ms on ${ping.hostname ?? "a worker"}`
          : "Failed: no worker completed the job";
  const tone = ping?.status === "COMPLETED" ? "border-emerald-200 bg-emerald-50 text-emerald-800" : ping?.status === "FAILED" ? "border-rose-200 bg-rose-50 text-rose-800" : "border-blue-200 bg-blue-50 text-blue-800";
  return (
    <div role="status" aria-label="Ping progress" data-status={ping?.status ?? "SENDING"} className={`flex items-center gap-3 rounded-md border px-3 py-2 text-sm ${tone}`}>
      {ping && DONE.has(ping.status) ? null : <span className="h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden />}
      {text}
    </div>
  );
}
