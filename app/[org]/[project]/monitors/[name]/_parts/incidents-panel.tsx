"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import { useState } from "react";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { RelativeTime } from "../../../../../_components/relative-time";
import { EmptyState, ErrorState, FormError, LoadingRows, Section } from "../../../../../_components/states";
import { formatStat } from "../../../../../_lib/format";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { IncidentBadge } from "../../_components/badges";

export type Incident = RouterOutputs["alert"]["incidents"][number];

/** Incidents move by themselves (a later report clears or fires again), less urgently than a run. */
const POLL_MS = 10_000;

function IncidentRow({ incident, selected, onSelect }: { incident: Incident; selected: boolean; onSelect: (id: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const project = useProject();
  const ack = useMutation(
    // The chain shows the incident's state too.
    trpc.alert.acknowledge.mutationOptions({ onSuccess: () => Promise.all([refreshAfterWrite(queryClient, trpc.alert.incidents.pathKey()), refreshAfterWrite(queryClient, trpc.monitor.chain.pathKey())]) }),
  );
  const figures = Object.entries(incident.figures).slice(0, 6);
  return (
    <li className={`space-y-2 px-4 py-3 ${selected ? "bg-blue-50/60" : ""}`} data-incident={incident.id} data-incident-state={incident.status}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex min-w-0 items-center gap-2">
          <IncidentBadge status={incident.status} />
          <span className="truncate text-sm font-medium text-gray-900">{incident.title}</span>
          <span className="text-xs text-gray-500">
            {incident.severity} · fired {incident.count}× · first <RelativeTime date={incident.firstFiredAt} />
          </span>
        </div>
        <div className="flex items-center gap-2">
          <Button size="xs" variant={selected ? "primary" : "secondary"} onClick={() => onSelect(incident.id)} aria-pressed={selected}>
            Show chain
          </Button>
          {incident.status === "firing" && can("MEMBER") ? (
            <Button size="xs" variant="secondary" loading={ack.isPending} onClick={() => ack.mutate({ projectId: project.id, incidentId: incident.id })}>
              Acknowledge
            </Button>
          ) : null}
        </div>
      </div>
      {figures.length > 0 ? (
        <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-gray-600">
          {figures.map(([k, v]) => (
            <div key={k} className="flex gap-1">
              <dt className="text-gray-500">{k}</dt>
              <dd className="font-mono">{typeof v === "number" ? formatStat(v) : v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {incident.acknowledgedAt ? (
        <p className="text-xs text-amber-700">
          Acknowledged <RelativeTime date={incident.acknowledgedAt} />
          {incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ""}: reminders stop, the resolved notice still goes out.
        </p>
      ) : null}
      {incident.resolvedAt ? (
        <p className="text-xs text-emerald-700">
          Resolved <RelativeTime date={incident.resolvedAt} />
        </p>
      ) : null}
      <FormError error={ack.error} />
    </li>
  );
}

/** The alert history of one monitor: its incidents, newest first, with acknowledge and the chain of each. */
export function IncidentsPanel({ belongs, selected, onSelect }: { belongs: (i: Incident) => boolean; selected: string | null; onSelect: (id: string) => void }) {
  const trpc = useTRPC();
  const project = useProject();
  const [status, setStatus] = useState<"open" | "all">("all");
  const incidents = useQuery(trpc.alert.incidents.queryOptions({ projectId: project.id, status, limit: 200 }, { refetchInterval: POLL_MS }));
  const mine = incidents.data?.filter(belongs) ?? [];
  const picker = (
    <div role="group" aria-label="Incidents shown" className="flex overflow-hidden rounded-md border border-gray-200 text-xs">
      {(["all", "open"] as const).map((s) => (
        <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(s)} className={`px-2.5 py-1 ${status === s ? "bg-blue-50 font-medium text-blue-700" : "bg-white text-gray-600 hover:bg-gray-50"}`}>
          {s}
        </button>
      ))}
    </div>
  );
  return (
    <Section title="Alert history" description="Incidents raised by this monitor's rules. Acknowledging stops reminders; the incident resolves when a later report clears." actions={picker}>
      {incidents.isPending ? (
        <LoadingRows rows={2} label="Loading incidents" />
      ) : incidents.error ? (
        <ErrorState error={incidents.error} onRetry={() => void incidents.refetch()} title="Could not load incidents" />
      ) : mine.length === 0 ? (
        <EmptyState title={status === "open" ? "No open incidents" : "No incidents yet"}>An incident opens when a rule below fires on a report; its e-mail, Slack or webhook deliveries are listed in it.</EmptyState>
      ) : (
        <ul className="divide-y divide-gray-100 rounded-md border border-gray-200" aria-label="Incidents">
          {mine.map((i) => (
            <IncidentRow key={i.id} incident={i} selected={selected === i.id} onSelect={onSelect} />
          ))}
        </ul>
      )}
    </Section>
  );
}
