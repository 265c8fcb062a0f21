"use client";

import type { ReactNode } from "react";
import { formatCount, formatPercent, formatStat } from "../../../../../../_lib/format";
import type { RouterOutputs } from "../../../../../../_lib/trpc";
import { CheckBadge } from "../../../_components/badges";
import { IntervalChart } from "../../../_components/interval-chart";

type Check = NonNullable<NonNullable<RouterOutputs["gate"]["report"]["report"]>["checks"]>[number];
type Of<N extends Check["name"]> = NonNullable<Extract<Check, { name: N }>["evidence"]>;

const TITLES: Record<Check["name"], string> = {
  thresholds: "Metric thresholds",
  relative: "Relative to the champion",
  champion: "Champion vs challenger",
  fairness: "Fairness",
  data_validation: "Data validation",
  robustness: "Robustness",
  budgets: "Latency and size budgets",
  signature: "Signature",
};

const p = (v: number | null) => (v === null ? "—" : v < 1e-4 ? v.toExponential(1) : formatStat(v));

function Table({ label, head, rows }: { label: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" aria-label={label}>
        <thead>
          <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
            {head.map((h, i) => (
              <th key={h} className={`px-2 py-1.5 font-medium ${i === 0 ? "" : "text-right"}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells, r) => (
            <tr key={r} className="border-b border-gray-100 last:border-0">
              {cells.map((c, i) => (
                <td key={i} className={`px-2 py-1.5 ${i === 0 ? "text-gray-900" : "text-right tabular-nums text-gray-700"}`}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ok = (passed: boolean) => <CheckBadge outcome={passed ? "pass" : "fail"} />;

/** One check of a gate report: its outcome, summary, and evidence as tables and interval charts. */
export function CheckCard({ check }: { check: Check }) {
  return (
    <section className="rounded-lg border border-gray-200 p-4" data-check={check.name} data-check-status={check.status} aria-label={TITLES[check.name]}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold text-gray-900">{TITLES[check.name]}</h3>
        <CheckBadge outcome={check.skipped ? "skipped" : check.status} />
        <p className="text-sm text-gray-600">{check.skipped ? `Skipped: ${check.skipped}` : check.summary}</p>
      </div>
      {check.evidence ? <div className="mt-3">{evidence(check)}</div> : null}
    </section>
  );
}

function evidence(check: Check): ReactNode {
  switch (check.name) {
    case "thresholds":
      return check.evidence && <Thresholds e={check.evidence} />;
    case "relative":
      return check.evidence && <Relative e={check.evidence} />;
    case "champion":
      return check.evidence && <Champion e={check.evidence} />;
    case "fairness":
      return check.evidence && <Fairness e={check.evidence} />;
    case "data_validation":
      return check.evidence && <Table label="Data versions" head={["Role", "Dataset version", "Validation"]} rows={check.evidence.versions.map((v) => [v.role, `${v.dataset} v${v.number}`, v.status.toLowerCase()])} />;
    case "robustness":
      return check.evidence && <Robustness e={check.evidence} />;
    case "budgets":
      return check.evidence && <Budgets e={check.evidence} />;
    case "signature":
      return check.evidence && <Signature e={check.evidence} />;
  }
}

function Thresholds({ e }: { e: Of<"thresholds"> }) {
  return <Table label="Thresholds" head={["Metric", "Value", "At least", "At most", ""]} rows={e.items.map((t) => [t.metric, formatStat(t.value), formatStat(t.min), formatStat(t.max), ok(t.passed)])} />;
}

function Relative({ e }: { e: Of<"relative"> }) {
  return (
    <Table
      label="Relative to the champion"
      head={["Metric", "Challenger", "Champion", "Better by", "Required", ""]}
      rows={e.items.map((t) => [`${t.metric} (${t.direction} is better)`, formatStat(t.challenger), formatStat(t.champion), formatPercent(t.betterBy), t.required === null ? "—" : formatPercent(t.required), ok(t.passed)])}
    />
  );
}

function Champion({ e }: { e: Of<"champion"> }) {
  const effect = e.mode === "superiority" ? `at least ${formatStat(e.minEffect)} better` : `at most ${formatStat(e.margin)} worse`;
  return (
    <div className="space-y-3">
      {e.metrics.map((m) => (
        <div key={m.metric} className="space-y-2" data-champion-metric={m.metric}>
          <IntervalChart
            label={`Difference in ${m.metric}, challenger − champion`}
            rows={m.difference === null ? [] : [{ label: `${m.metric} difference`, estimate: m.difference, lower: m.lower, upper: m.upper, passed: m.passed }]}
            references={[
              { value: 0, label: "0 (no difference)", kind: "zero" },
              ...(m.decision.threshold !== null && m.decision.threshold !== 0 ? [{ value: m.decision.threshold, label: `threshold ${formatStat(m.decision.threshold)}`, kind: "threshold" as const }] : []),
            ]}
            caption={`${formatPercent(e.confidence, 0)} ${m.interval === "delong" ? "DeLong" : `paired bootstrap (${formatCount(e.resamples)} resamples, seed ${e.seed})`} CI of challenger − champion; ${m.direction} is better, so a ${e.mode.replace("_", "-")} pass needs the whole interval ${m.direction === "lower" ? "below" : "above"} the threshold (${effect}).`}
          />
          <Table
            label={`${m.metric} comparison`}
            head={["", "Challenger", "Champion", "Difference", "CI", "Holm-adjusted p", ""]}
            rows={[
              [
                m.metric,
                formatStat(m.challenger),
                formatStat(m.champion),
                formatStat(m.difference),
                m.lower === null || m.upper === null ? "—" : `[${formatStat(m.lower)}, ${formatStat(m.upper)}]`,
                p(m.pAdjusted),
                ok(m.passed),
              ],
            ]}
          />
          <p className="text-xs text-gray-600">
            {m.tests.map((t) => `${t.name}: statistic ${formatStat(t.statistic)}, p = ${p(t.pValue)}`).join(" · ")}
            {m.tests.length ? " · " : ""}
            {m.decision.reason}
          </p>
        </div>
      ))}
    </div>
  );
}

function Fairness({ e }: { e: Of<"fairness"> }) {
  const small = e.groups.filter((g) => g.status === "too_small");
  return (
    <div className="space-y-3">
      <IntervalChart
        label={`${e.metric} by ${e.column}`}
        rows={e.groups
          .filter((g) => g.estimate !== null)
          .map((g) => ({ label: `${g.name} (${formatCount(g.size)})`, estimate: g.estimate!, lower: g.lower, upper: g.upper, note: g.status === "too_small" ? "too small to judge" : undefined }))}
        caption={`${e.metric} per ${e.column} group with ${formatPercent(e.confidence, 0)} bootstrap CIs.`}
      />
      {e.gap ? (
        <IntervalChart
          label="Gap between groups"
          rows={[{ label: "largest − smallest", estimate: e.gap.estimate, lower: e.gap.lower, upper: e.gap.upper, passed: e.outcome === "pass" }]}
          references={[{ value: e.maxGap, label: `limit ${formatStat(e.maxGap)}`, kind: "threshold" }]}
          caption={`Passes only if the upper end of the gap's CI stays below the limit of ${formatStat(e.maxGap)}.`}
        />
      ) : null}
      {small.length ? (
        <p className="text-xs text-amber-700" data-small-groups>
          Under {formatCount(e.minGroupSize)} rows, reported but not judged: {small.map((g) => `${g.name} (${formatCount(g.size)})`).join(", ")}.
        </p>
      ) : null}
    </div>
  );
}

function Robustness({ e }: { e: Of<"robustness"> }) {
  return (
    <p className="text-sm text-gray-700">
      {e.worst
        ? `Worst of ${e.probes} probes on ${formatCount(e.sample.rows)} of ${formatCount(e.sample.of)} rows: ${e.worst.perturbation}${e.worst.feature ? ` on ${e.worst.feature}` : ""} at ${formatStat(e.worst.level)} moves ${e.metric} from ${formatStat(e.worst.baseline)} to ${formatStat(e.worst.value)} (${e.worst.degradation === null ? "—" : formatPercent(e.worst.degradation)} worse; limit ${formatPercent(e.maxDegradation)}).`
        : "No probe could be run."}
    </p>
  );
}

function Budgets({ e }: { e: Of<"budgets"> }) {
  const names = { p95_single_ms: "p95 latency, one row (ms)", p95_batch_1000_ms: "p95 latency, 1,000 rows (ms)", max_size_mb: "size (MB)" } as const;
  return (
    <Table
      label="Budgets"
      head={["Budget", "Measured", "Limit", ""]}
      rows={e.items.map((b) => [names[b.budget], formatStat(b.value), formatStat(b.limit), ok(b.passed)])}
    />
  );
}

function Signature({ e }: { e: Of<"signature"> }) {
  if (e.changes.length === 0) return <p className="text-sm text-gray-600">Same inputs as the champion.</p>;
  return (
    <div className="space-y-1">
      <Table label="Signature changes" head={["Input", "Change", "From", "To"]} rows={e.changes.map((c) => [c.input, c.change, c.from ?? "—", c.to ?? "—"])} />
      {e.breaking ? <p className="text-xs text-rose-700">{e.allowBreaking ? "Breaking, allowed by the policy." : "Breaking changes are not allowed by the policy."}</p> : null}
    </div>
  );
}
