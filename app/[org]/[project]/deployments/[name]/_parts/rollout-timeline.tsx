"use client";

import { Badge, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { RelativeTime } from "../../../../../_components/relative-time";
import { Section } from "../../../../../_components/states";
import { formatCount, formatPercent, formatStat } from "../../../../../_lib/format";
import type { RouterOutputs } from "../../../../../_lib/trpc";

type Deployment = RouterOutputs["deployment"]["get"];
type Rollout = NonNullable<Deployment["rollout"]>;
type Check = NonNullable<Rollout["lastCheck"]>;

const VERDICT = { healthy: "emerald", failing: "rose", insufficient: "amber" } as const;

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function CheckFigures({ check, label }: { check: Check; label: (id: string) => string }) {
  const rows = [
    { role: "stable", arm: check.stable },
    { role: "candidate", arm: check.candidate },
  ];
  const metric = check.stable.metric ?? check.candidate.metric;
  return (
    <div className="space-y-2" data-health-check={check.verdict}>
      <p className="flex flex-wrap items-center gap-2 text-sm text-gray-700">
        Last health check:
        <Badge size="xs" color={VERDICT[check.verdict]} data-verdict={check.verdict}>
          {check.verdict}
        </Badge>
        <span className="text-xs text-gray-500">
          <RelativeTime date={new Date(check.at)} /> · window since <RelativeTime date={new Date(check.windowStart)} />
        </span>
      </p>
      {check.reasons.length > 0 ? (
        <ul className="list-inside list-disc text-sm text-gray-700" aria-label="Health check reasons">
          {check.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <div className="overflow-x-auto">
        <Table aria-label="Health check figures">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Arm</TableHeaderCell>
              <TableHeaderCell className="text-right">Requests</TableHeaderCell>
              <TableHeaderCell className="text-right">Errors</TableHeaderCell>
              <TableHeaderCell className="text-right">Error rate</TableHeaderCell>
              <TableHeaderCell className="text-right">p95 (ms)</TableHeaderCell>
              {metric ? <TableHeaderCell className="text-right">{metric.name} (labels)</TableHeaderCell> : null}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(({ role, arm }) => (
              <TableRow key={role}>
                <TableCell>
                  {role} <span className="text-gray-500">{label(arm.versionId)}</span>
                </TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(arm.requests)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(arm.errors)}</TableCell>
                <TableCell className="text-right tabular-nums">{arm.errorRate === null ? "—" : formatPercent(arm.errorRate, 2)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatStat(arm.p95Ms)}</TableCell>
                {metric ? (
                  <TableCell className="text-right tabular-nums">
                    {arm.metric ? `${formatStat(arm.metric.value)} (${formatCount(arm.metric.labels)})` : "—"}
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}

/** A canary's steps with the one now serving highlighted, when the next one is due, and the last health check's figures and verdict. */
export function RolloutTimeline({ deployment, label }: { deployment: Deployment; label: (id: string) => string }) {
  const rollout = deployment.rollout;
  if (!rollout) {
    return (
      <Section title="Rollout" description="Canary steps and their health checks.">
        <p className="text-sm text-gray-500">
          {deployment.strategy === "canary" && deployment.candidateVersionId
            ? `This canary has no steps: it serves ${deployment.candidatePercent}% until someone promotes, aborts or changes it.`
            : "No canary is running. Start one below: its steps, bake time and health checks appear here."}
        </p>
      </Section>
    );
  }
  const { config, step } = rollout;
  const nextDue = new Date(new Date(rollout.stepStartedAt).getTime() + config.bakeSeconds * 1000);
  const h = config.health;
  return (
    <Section
      title="Rollout"
      description={`Canary: each step bakes ${duration(config.bakeSeconds)} and needs ${formatCount(h.minRequests)} candidate requests; it fails above ${formatPercent(h.maxErrorRate)} errors or a p95 over ${h.maxP95Ratio}× stable's${h.metric ? `, or ${h.metric.name} worse by more than ${h.metric.maxDegradation}` : ""}. ${config.autoRollback ? "A failing step rolls back by itself." : "A failing step holds for a person to decide."}`}
    >
      <ol aria-label="Canary steps" className="flex flex-wrap items-center gap-2">
        {config.steps.map((pct, i) => {
          const state = i < step ? "done" : i === step ? "current" : "next";
          const cls = state === "current" ? "border-blue-500 bg-blue-50 text-blue-800 ring-2 ring-blue-200" : state === "done" ? "border-emerald-300 bg-emerald-50 text-emerald-800" : "border-gray-200 bg-white text-gray-500";
          return (
            <li key={`${i}-${pct}`} className="flex items-center gap-2" data-step={i} data-step-state={state} aria-current={state === "current" ? "step" : undefined}>
              {i > 0 ? <span aria-hidden className="text-gray-300">→</span> : null}
              <span className={`rounded-md border px-3 py-1.5 text-sm font-medium tabular-nums ${cls}`}>
                {pct}%{state === "done" ? " ✓" : ""}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="text-xs text-gray-500">
        Step {step + 1} of {config.steps.length} started <RelativeTime date={new Date(rollout.stepStartedAt)} />
        {deployment.status === "paused" ? " · paused: steps wait until resumed" : (
          <>
            {" "}· next step due <RelativeTime date={nextDue} /> if healthy
          </>
        )}
      </p>
      {rollout.lastCheck ? <CheckFigures check={rollout.lastCheck} label={label} /> : <p className="text-sm text-gray-500">No health check of this step yet: the rollout job checks it several times while it bakes.</p>}
    </Section>
  );
}
