"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge, Button, Callout } from "@tremor/react";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { DateTime } from "../../../../../_components/relative-time";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { strategyWord } from "../../_components/badges";
import { LedgerProvenance } from "./ledger-provenance";
import { LIVE_POLL_MS } from "./use-deployment";

type Entry = RouterOutputs["deployment"]["ledger"][number];
type Split = NonNullable<Entry["toSplit"]>;

type Color = "gray" | "emerald" | "rose" | "amber" | "blue" | "indigo";
const KIND_COLOR: Record<string, Color> = {
  create: "gray",
  replace: "indigo",
  candidate: "blue",
  step: "blue",
  switch: "indigo",
  switch_back: "indigo",
  pause: "amber",
  resume: "blue",
  abort: "rose",
  promote: "emerald",
  rollback: "rose",
  auto_rollback: "rose",
};

export function splitText(s: Split | null, label: (id: string) => string): string {
  if (!s) return "—";
  if (!s.candidateVersionId) return `${label(s.stableVersionId)} 100%`;
  const answering = s.strategy === "canary" || s.strategy === "ab" ? s.candidatePercent : 0;
  return `${label(s.stableVersionId)} ${100 - answering}% · ${label(s.candidateVersionId)} ${answering}% (${strategyWord(s.strategy)})`;
}

/** Every change of the deployment, newest first, hash-chained; "Verify chain" recomputes the chain on the server. */
export function LedgerPanel({ deploymentId, live, label }: { deploymentId: string; live: boolean; label: (id: string) => string }) {
  const trpc = useTRPC();
  const project = useProject();
  const { me, org } = useOrg();
  const ref = { projectId: project.id, deploymentId };
  const ledger = useQuery(trpc.deployment.ledger.queryOptions(ref, { refetchInterval: live ? LIVE_POLL_MS : false }));
  const verify = useQuery(trpc.deployment.verifyLedger.queryOptions(ref, { enabled: false }));
  const members = useQuery(trpc.member.list.queryOptions({ orgId: org.id }));
  // The ledger names actors by id ("user:<id>", "job:<name>"); people are shown by name where the organisation still has them.
  const actor = (a: string) => {
    if (a === `user:${me.id}`) return "you";
    const member = a.startsWith("user:") ? members.data?.members.find((m) => `user:${m.userId}` === a) : undefined;
    return member ? member.name : a;
  };

  return (
    <Section
      title="Ledger"
      description="Append-only: the database refuses edits, and each entry carries the hash of the one before."
      actions={
        <Button size="xs" variant="secondary" loading={verify.isFetching} onClick={() => void verify.refetch()}>
          Verify chain
        </Button>
      }
    >
      {verify.error ? <ErrorState error={verify.error} title="Could not verify the chain" /> : null}
      {verify.data ? (
        <Callout
          title={verify.data.valid ? "Chain verified" : `Chain broken at entry ${verify.data.brokenAtSeq}`}
          color={verify.data.valid ? "emerald" : "rose"}
          data-ledger-valid={String(verify.data.valid)}
        >
          {verify.data.entries} entries recomputed{verify.data.headHash ? `; head hash ${verify.data.headHash.slice(0, 16)}` : ""}.
        </Callout>
      ) : null}
      {ledger.isPending ? (
        <LoadingRows rows={3} label="Loading ledger" />
      ) : ledger.error ? (
        <ErrorState error={ledger.error} onRetry={() => void ledger.refetch()} />
      ) : (
        <ol aria-label="Ledger" className="relative space-y-4 border-l border-gray-200 pl-5">
          {[...ledger.data].reverse().map((e) => (
            <li key={e.seq} className="relative text-sm" data-ledger-kind={e.kind} data-seq={e.seq}>
              <span aria-hidden className="absolute -left-[1.6rem] top-1 h-2.5 w-2.5 rounded-full bg-gray-400 ring-4 ring-white" />
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-xs text-gray-400">#{e.seq}</span>
                <Badge size="xs" color={KIND_COLOR[e.kind] ?? "gray"}>
                  {e.kind.replace("_", " ")}
                </Badge>
                <span className="text-gray-700">
                  {e.fromSplit ? `${splitText(e.fromSplit, label)} → ` : ""}
                  <span className="font-medium text-gray-900">{splitText(e.toSplit, label)}</span>
                </span>
              </div>
              <p className="mt-0.5 text-xs text-gray-500">
                <span title={e.actor}>{actor(e.actor)}</span> · <DateTime date={e.createdAt} /> · hash <code className="font-mono">{e.hash.slice(0, 12)}</code>
              </p>
              {e.reason ? <p className="mt-1 text-xs text-gray-700">Reason: {e.reason}</p> : null}
              {e.provenance ? <LedgerProvenance p={e.provenance} projectBase={`/${org.slug}/${project.slug}`} /> : null}
              {e.evidence !== null && e.evidence !== undefined ? (
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-gray-500 hover:text-gray-800">Evidence</summary>
                  <pre className="mt-1 max-h-64 overflow-auto rounded bg-gray-50 p-2 font-mono text-[11px] text-gray-700">{JSON.stringify(e.evidence, null, 2)}</pre>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
