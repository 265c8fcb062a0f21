"use client";

import { Button } from "@tremor/react";
import type { Document } from "yaml";
import { TextInput } from "../../../../../_components/inputs";
import { asNumber, asString, getIn, type Path } from "./policy-doc";
import { CheckField, ChoiceField, Group, NumField, type Write } from "./policy-fields";

// The metric names a gate may name per task, as the evaluation report spells them; the server's policy
// schema is the authority and answers a name outside it with the offending line.
const METRICS: Record<string, string[]> = { regression: ["rmse", "mae", "mape", "r2"], binary: ["accuracy", "precision", "recall", "f1", "rocAuc", "prAuc", "logLoss"] };
const CHAMPION_METRICS: Record<string, string[]> = { regression: ["rmse", "mae"], binary: ["accuracy", "rocAuc", "logLoss"] };
const FAIRNESS_METRICS: Record<string, string[]> = { regression: ["rmse", "mae"], binary: ["accuracy", "logLoss"] };
const ROLES = [
  { value: "MEMBER", label: "Member or above" },
  { value: "ADMIN", label: "Admin or above" },
  { value: "OWNER", label: "Owner" },
] as const;

interface Threshold {
  metric?: string;
  min?: number;
  max?: number;
}

/** The policy as a form over the YAML document: every change is written back into the YAML. */
export function PolicyForm({ doc, task, write, disabled }: { doc: Document; task: string; write: Write; disabled: boolean }) {
  const at = (path: Path) => getIn(doc, path);
  const champion = at(["checks", "champion"]) as Record<string, unknown> | undefined;
  const fairness = at(["checks", "fairness"]) as Record<string, unknown> | undefined;
  const thresholds = (at(["checks", "thresholds"]) as Threshold[] | undefined) ?? [];
  const budgets = (at(["checks", "budgets"]) as Record<string, unknown> | undefined) ?? {};
  const metrics = METRICS[task] ?? [];
  const championMetrics = (champion?.metrics as string[] | undefined) ?? [task === "binary" ? "rocAuc" : "rmse"];
  const mode = asString(champion?.mode) ?? "superiority";
  const num = (id: string, label: string, path: Path, hint?: string) => <NumField key={id} id={id} label={label} value={at(path)} path={path} write={write} hint={hint} disabled={disabled} />;

  return (
    <div className="grid gap-4 lg:grid-cols-2" aria-label="Policy form">
      <Group title="Approvals" description="People who must approve before promotion; the author of the run or version cannot approve it.">
        <div className="grid grid-cols-2 gap-3">
          {num("policy-approvals", "Approvals required", ["approvals", "required"])}
          <ChoiceField id="policy-min-role" label="Approver role" value={asString(at(["approvals", "min_role"])) ?? "ADMIN"} options={ROLES} onChange={(v) => write(["approvals", "min_role"], v)} disabled={disabled} />
        </div>
      </Group>

      <Group title="Evaluation data" description="Which split of the challenger's dataset both versions are scored on.">
        <div className="grid grid-cols-2 gap-3">
          <ChoiceField
            id="policy-split"
            label="Split"
            value={asString(at(["data", "split"])) ?? "test"}
            options={[
              { value: "test", label: "test" },
              { value: "validation", label: "validation" },
            ]}
            onChange={(v) => write(["data", "split"], v)}
            disabled={disabled}
          />
          {task === "binary" ? num("policy-threshold", "Decision threshold", ["data", "threshold"]) : null}
        </div>
      </Group>

      <Group
        title="Champion vs challenger"
        description="Both versions on the same rows; a paired bootstrap CI of the difference, with the matching paired test and Holm's correction across metrics."
        enabled={<CheckField id="policy-champion-on" label="Compare with the champion" checked={!!champion} disabled={disabled} onChange={(on) => write(["checks", "champion"], on ? { mode: "superiority", metrics: championMetrics, min_effect: 0 } : undefined)} />}
      >
        {champion ? (
          <div className="space-y-3">
            <div className="grid grid-cols-2 gap-3">
              <ChoiceField
                id="policy-champion-mode"
                label="Mode"
                value={mode}
                options={[
                  { value: "superiority", label: "Superiority" },
                  { value: "non_inferiority", label: "Non-inferiority" },
                ]}
                onChange={(v) => write(["checks", "champion", "mode"], v)}
                disabled={disabled}
              />
              {mode === "non_inferiority"
                ? num("policy-margin", "Margin (metric units)", ["checks", "champion", "margin"], "the challenger may be at most this much worse")
                : num("policy-min-effect", "Minimum effect (metric units)", ["checks", "champion", "min_effect"], "the whole CI must be better by at least this")}
              {num("policy-confidence", "Confidence", ["checks", "champion", "confidence"], "default 0.95")}
              {num("policy-resamples", "Bootstrap resamples", ["checks", "champion", "resamples"], "default 10,000")}
            </div>
            <div className="flex flex-wrap gap-4" role="group" aria-label="Champion metrics">
              {(CHAMPION_METRICS[task] ?? []).map((m) => (
                <CheckField
                  key={m}
                  id={`policy-champion-${m}`}
                  label={m}
                  checked={championMetrics.includes(m)}
                  disabled={disabled}
                  onChange={(on) => {
                    const next = on ? [...championMetrics, m] : championMetrics.filter((x) => x !== m);
                    write(["checks", "champion", "metrics"], next.length ? next : undefined);
                  }}
                />
              ))}
            </div>
          </div>
        ) : null}
      </Group>

      <Group title="Metric thresholds" description="Absolute limits on the challenger's own metrics.">
        {thresholds.map((t, i) => (
          <div key={i} className="grid grid-cols-[1fr_1fr_1fr_auto] items-end gap-2" data-threshold={i}>
            <ChoiceField
              id={`policy-threshold-metric-${i}`}
              label="Metric"
              value={t.metric ?? metrics[0] ?? ""}
              options={metrics.map((m) => ({ value: m, label: m }))}
              onChange={(v) => write(["checks", "thresholds", i, "metric"], v)}
              disabled={disabled}
            />
            {num(`policy-threshold-min-${i}`, "at least", ["checks", "thresholds", i, "min"])}
            {num(`policy-threshold-max-${i}`, "at most", ["checks", "thresholds", i, "max"])}
            <Button type="button" size="xs" variant="light" color="rose" disabled={disabled} onClick={() => write(["checks", "thresholds"], thresholds.length > 1 ? thresholds.filter((_, j) => j !== i) : undefined)}>
              Remove
            </Button>
          </div>
        ))}
        <Button type="button" size="xs" variant="secondary" disabled={disabled} onClick={() => write(["checks", "thresholds"], [...thresholds, { metric: metrics[0], [task === "binary" ? "min" : "max"]: task === "binary" ? 0.7 : 10 }])}>
          Add threshold
        </Button>
      </Group>

      <Group
        title="Fairness"
        description="Per-group metric with bootstrap CIs; passes only if the gap between groups is below the limit at the stated confidence."
        enabled={<CheckField id="policy-fairness-on" label="Check fairness across a column" checked={!!fairness} disabled={disabled} onChange={(on) => write(["checks", "fairness"], on ? { column: "", max_gap: 1 } : undefined)} />}
      >
        {fairness ? (
          <div className="grid grid-cols-2 gap-3">
            <div className="space-y-1">
              <label htmlFor="policy-fairness-column" className="block text-sm font-medium text-gray-700">
                Column
              </label>
              <TextInput id="policy-fairness-column" value={asString(fairness.column) ?? ""} placeholder="region" disabled={disabled} onValueChange={(v) => write(["checks", "fairness", "column"], v)} />
            </div>
            <ChoiceField
              id="policy-fairness-metric"
              label="Metric"
              value={asString(fairness.metric) ?? (task === "binary" ? "accuracy" : "mae")}
              options={(FAIRNESS_METRICS[task] ?? []).map((m) => ({ value: m, label: m }))}
              onChange={(v) => write(["checks", "fairness", "metric"], v)}
              disabled={disabled}
            />
            {num("policy-fairness-gap", "Largest gap allowed", ["checks", "fairness", "max_gap"])}
            {num("policy-fairness-min", "Smallest group reported", ["checks", "fairness", "min_group_size"], "default 30 rows")}
          </div>
        ) : null}
      </Group>

      <Group title="Data, robustness and signature">
        <CheckField id="policy-data-validation" label="Training, validation and test data passed their contracts" checked={at(["checks", "data_validation"]) === true} disabled={disabled} onChange={(on) => write(["checks", "data_validation"], on || undefined)} />
        <CheckField
          id="policy-signature"
          label="Signature compatible with the champion"
          checked={at(["checks", "signature"]) !== undefined && at(["checks", "signature", "allow_breaking"]) !== true}
          disabled={disabled}
          onChange={(on) => write(["checks", "signature"], on ? { allow_breaking: false } : undefined)}
        />
        {num("policy-robustness", "Largest degradation under noise / missing values", ["checks", "robustness", "max_degradation"], "a fraction (0.1) or a percentage (10%); empty: not checked")}
      </Group>

      <Group title="Budgets" description="Measured with ONNX Runtime on a worker; empty: not checked." className="lg:col-span-2">
        <div className="grid gap-3 sm:grid-cols-3">
          <NumField id="policy-p95-single" label="p95 latency, 1 row (ms)" value={budgets.p95_single_ms} path={["checks", "budgets", "p95_single_ms"]} write={write} disabled={disabled} />
          <NumField id="policy-p95-batch" label="p95 latency, 1,000 rows (ms)" value={budgets.p95_batch_1000_ms} path={["checks", "budgets", "p95_batch_1000_ms"]} write={write} disabled={disabled} />
          <NumField id="policy-size" label="Model size (MB)" value={asNumber(budgets.max_size_mb)} path={["checks", "budgets", "max_size_mb"]} write={write} disabled={disabled} />
        </div>
      </Group>
    </div>
  );
}
