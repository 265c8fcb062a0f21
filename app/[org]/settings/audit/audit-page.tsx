"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Badge, Button, Callout, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { TextInput } from "../../../_components/inputs";
import { useState, type FormEvent } from "react";
import { useOrg } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { DateTime, RelativeTime } from "../../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../_components/states";
import { useTRPC } from "../../../_lib/trpc";
import { changeSummary } from "./change-summary";

const PREFIXES = ["auth.", "member.", "token.", "project.", "org.", "system."];
const PAGE_SIZE = 25;

export function AuditPage() {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const isAdmin = can("ADMIN");
  const [draft, setDraft] = useState("");
  const [action, setAction] = useState("");
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { orgId: org.id, limit: PAGE_SIZE, action: action || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, enabled: isAdmin },
    ),
  );
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];

  const apply = (value: string) => {
    setDraft(value);
    setAction(value.trim());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };

  if (!isAdmin) {
    return (
      <div>
        <PageHeader title="Audit log" />
        <Callout title="Admins only" color="slate">
          Your role ({org.role.toLowerCase()}) cannot read the audit log of {org.name}.
        </Callout>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Every change that matters — sign-in failures, memberships, tokens, projects — newest first." />
      <Section
        title="Events"
        actions={
          <form onSubmit={submit} className="flex items-center gap-2" aria-label="Filter audit events">
            <TextInput aria-label="Action prefix" value={draft} onValueChange={setDraft} placeholder="Action prefix, e.g. token." className="w-56" />
            <Button type="submit" variant="secondary">
              Filter
            </Button>
          </form>
        }
      >
        <div className="flex flex-wrap gap-2" aria-label="Quick filters">
          {["", ...PREFIXES].map((p) => (
            <button
              key={p || "all"}
              type="button"
              onClick={() => apply(p)}
              aria-pressed={action === p}
              className={`rounded-full border px-3 py-1 text-xs font-medium ${action === p ? "border-blue-600 bg-blue-50 text-blue-700" : "border-gray-200 bg-white text-gray-600 hover:bg-gray-50"}`}
            >
              {p ? `${p}*` : "All"}
            </button>
          ))}
        </div>
        {events.isPending ? (
          <LoadingRows rows={5} label="Loading audit events" />
        ) : events.error ? (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={action ? `No events starting with “${action}”` : "No events yet"} />
        ) : (
          <>
            <Table aria-label="Audit events">
              <TableHead>
                <TableRow>
                  <TableHeaderCell>When</TableHeaderCell>
                  <TableHeaderCell>Actor</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                  <TableHeaderCell>Target</TableHeaderCell>
                  <TableHeaderCell>Change</TableHeaderCell>
                  <TableHeaderCell>IP</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((e) => (
                  <TableRow key={e.id} data-action={e.action}>
                    <TableCell>
                      <span className="block text-gray-900">
                        <RelativeTime date={e.at} />
                      </span>
                      <span className="text-xs text-gray-400">
                        <DateTime date={e.at} />
                      </span>
                    </TableCell>
                    <TableCell>
                      <span className="block max-w-[14rem] truncate text-gray-900" title={e.actorLabel}>
                        {e.actorLabel}
                      </span>
                      <span className="text-xs text-gray-400">{e.actorType}</span>
                    </TableCell>
                    <TableCell>
                      <Badge size="xs" color={e.action.endsWith("failed") || e.action.includes("revoke") || e.action.includes("remove") ? "rose" : "blue"}>
                        {e.action}
                      </Badge>
                    </TableCell>
                    <TableCell>
                      <span className="block max-w-[14rem] truncate text-gray-900" title={e.targetLabel}>
                        {e.targetLabel || e.targetId || "—"}
                      </span>
                      <span className="text-xs text-gray-400">{e.targetType}</span>
                    </TableCell>
                    <TableCell className="min-w-[16rem] max-w-md whitespace-normal font-mono text-xs text-gray-600 [overflow-wrap:anywhere]">{changeSummary(e.before, e.after) || "—"}</TableCell>
                    <TableCell className="font-mono text-xs">{e.ip ?? "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <div className="flex items-center justify-between pt-2">
              <p className="text-xs text-gray-500">
                {items.length} event{items.length === 1 ? "" : "s"} shown
              </p>
              {events.hasNextPage ? (
                <Button variant="secondary" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
                  Load more
                </Button>
              ) : (
                <p className="text-xs text-gray-400">End of the log</p>
              )}
            </div>
          </>
        )}
      </Section>
    </div>
  );
}
