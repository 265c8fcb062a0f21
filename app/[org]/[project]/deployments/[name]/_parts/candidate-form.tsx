"use client";

import { useMutation } from "@tanstack/react-query";
import { Button, Select, SelectItem, Switch } from "@tremor/react";
import { useState } from "react";
import { Field } from "../../../../../_components/field";
import { NumberInput, TextInput } from "../../../../../_components/inputs";
import { useProject } from "../../../../../_components/org-context";
import { FormError } from "../../../../../_components/states";
import { fieldErrors } from "../../../../../_lib/errors";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { VersionSelect, versionChoice } from "../../_components/version-select";
import { useRefreshDeployments } from "./use-deployment";

type Deployment = RouterOutputs["deployment"]["get"];
type Strategy = "canary" | "blue_green" | "shadow" | "ab" | "direct";

const STRATEGIES: { value: Strategy; label: string; hint: string }[] = [
  { value: "canary", label: "Canary", hint: "The candidate answers a growing share of requests, step by step, each step baked and health-checked; failing checks roll it back." },
  { value: "blue_green", label: "Blue/green", hint: "The candidate is loaded and warmed beside the stable version and takes all traffic on Switch; switching again moves back." },
  { value: "shadow", label: "Shadow", hint: "The candidate scores a mirror of every request off the response path; the stable version still answers. Compare them before moving traffic." },
  { value: "ab", label: "A/B", hint: "A fixed share of callers (sticky by request key) gets the candidate; feedback labels compare the two with an always-valid interval." },
  { value: "direct", label: "Replace now", hint: "The version becomes stable at once and answers every request (no candidate)." },
];

/** "5, 25, 50, 100" → [5, 25, 50, 100]; anything not a number is left for the server to name. */
export function parseSteps(text: string): number[] {
  return text
    .split(/[\s,;→>]+/)
    .filter(Boolean)
    .map(Number);
}

const num = (v: number | undefined, fallback: number) => (v === undefined || Number.isNaN(v) ? fallback : v);

/** Starts a candidate (or replaces the stable version) with the settings of its strategy. */
export function CandidateForm({ deployment }: { deployment: Deployment }) {
  const trpc = useTRPC();
  const project = useProject();
  const refresh = useRefreshDeployments();
  const [strategy, setStrategy] = useState<Strategy>("canary");
  const [choice, setChoice] = useState("");
  const [steps, setSteps] = useState("5, 25, 50, 100");
  const [bake, setBake] = useState<number | undefined>(300);
  const [maxErrorPct, setMaxErrorPct] = useState<number | undefined>(1);
  const [maxP95Ratio, setMaxP95Ratio] = useState<number | undefined>(1.5);
  const [minRequests, setMinRequests] = useState<number | undefined>(50);
  const [autoRollback, setAutoRollback] = useState(true);
  const [metricName, setMetricName] = useState("");
  const [maxDegradation, setMaxDegradation] = useState<number | undefined>(undefined);
  const [minLabels, setMinLabels] = useState<number | undefined>(100);
  const [percent, setPercent] = useState<number | undefined>(50);
  const [reason, setReason] = useState("");
  const setCandidate = useMutation(trpc.deployment.setCandidate.mutationOptions({ onSuccess: refresh }));
  const replace = useMutation(trpc.deployment.replace.mutationOptions({ onSuccess: refresh }));
  const active = strategy === "direct" ? replace : setCandidate;
  const errors = fieldErrors(active.error);
  const hint = STRATEGIES.find((s) => s.value === strategy)!.hint;

  const submit = () => {
    const base = { projectId: project.id, deploymentId: deployment.id, ...versionChoice(choice), reason: reason.trim() || undefined };
    const done = {
      onSuccess: () => {
        setReason("");
        setChoice("");
      },
    };
    if (strategy === "direct") return replace.mutate(base, done);
    if (strategy === "canary") {
      const parsed = parseSteps(steps);
      const rollout = {
        steps: parsed,
        bakeSeconds: num(bake, 300),
        health: {
          maxErrorRate: num(maxErrorPct, 1) / 100,
          maxP95Ratio: num(maxP95Ratio, 1.5),
          minRequests: num(minRequests, 50),
          metric: metricName.trim() ? { name: metricName.trim(), maxDegradation: num(maxDegradation, 0), minLabels: num(minLabels, 100) } : null,
        },
        autoRollback,
      };
      return setCandidate.mutate({ ...base, strategy, candidatePercent: parsed[0] ?? 0, rollout }, done);
    }
    setCandidate.mutate({ ...base, strategy, candidatePercent: strategy === "ab" ? num(percent, 50) : 0 }, done);
  };

  return (
    <form
      aria-label="Start a candidate"
      className="space-y-3 border-t border-gray-100 pt-3"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 className="text-sm font-semibold text-gray-900">Start a candidate</h3>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Strategy" htmlFor="cand-strategy">
          <Select id="cand-strategy" aria-label="Strategy" value={strategy} onValueChange={(v) => setStrategy(v as Strategy)} enableClear={false}>
            {STRATEGIES.map((s) => (
              <SelectItem key={s.value} value={s.value}>
                {s.label}
              </SelectItem>
            ))}
          </Select>
        </Field>
        <Field label="Version or alias" htmlFor="cand-version" error={errors.versionId ?? errors.alias}>
          <VersionSelect id="cand-version" label="Candidate version" modelId={deployment.modelId} value={choice} onChange={setChoice} />
        </Field>
        {strategy === "ab" ? (
          <Field label="Candidate share (%)" htmlFor="cand-percent" error={errors.candidatePercent}>
            <NumberInput id="cand-percent" value={percent} onValueChange={setPercent} min={0} max={100} step={1} error={!!errors.candidatePercent} />
          </Field>
        ) : null}
      </div>
      <p className="text-xs text-gray-500">{hint}</p>
      {strategy === "canary" ? (
        <fieldset className="grid gap-3 rounded-md border border-gray-200 p-3 sm:grid-cols-3" aria-label="Canary settings">
          <Field label="Steps (% of requests)" htmlFor="cand-steps" error={errors.rollout} hint="Increasing, the last one usually 100">
            <TextInput id="cand-steps" value={steps} onValueChange={setSteps} error={!!errors.rollout} />
          </Field>
          <Field label="Bake time per step (s)" htmlFor="cand-bake">
            <NumberInput id="cand-bake" value={bake} onValueChange={setBake} min={1} step={1} />
          </Field>
          <div className="flex items-end gap-2 pb-2">
            <Switch id="cand-auto" checked={autoRollback} onChange={setAutoRollback} />
            <label htmlFor="cand-auto" className="text-sm text-gray-700">
              Roll back by itself when a check fails
            </label>
          </div>
          <Field label="Max error rate (%)" htmlFor="cand-err">
            <NumberInput id="cand-err" value={maxErrorPct} onValueChange={setMaxErrorPct} min={0} max={100} step={0.1} />
          </Field>
          <Field label="Max p95 latency vs stable (×)" htmlFor="cand-p95">
            <NumberInput id="cand-p95" value={maxP95Ratio} onValueChange={setMaxP95Ratio} min={1} step={0.1} />
          </Field>
          <Field label="Requests before judging a step" htmlFor="cand-min">
            <NumberInput id="cand-min" value={minRequests} onValueChange={setMinRequests} min={1} step={1} />
          </Field>
          <Field label="Online metric from feedback (optional)" htmlFor="cand-metric" hint="An evaluation metric name, e.g. mae or rmse (regression), accuracy (binary); empty: not judged">
            <TextInput id="cand-metric" value={metricName} onValueChange={setMetricName} placeholder="mae" />
          </Field>
          <Field label="Max degradation (metric units)" htmlFor="cand-degradation">
            <NumberInput id="cand-degradation" value={maxDegradation} onValueChange={setMaxDegradation} min={0} step={0.01} disabled={!metricName.trim()} />
          </Field>
          <Field label="Labels per arm before judging it" htmlFor="cand-labels">
            <NumberInput id="cand-labels" value={minLabels} onValueChange={setMinLabels} min={1} step={1} disabled={!metricName.trim()} />
          </Field>
        </fieldset>
      ) : null}
      <Field label="Reason (recorded in the ledger, optional)" htmlFor="cand-reason" error={errors.reason}>
        <TextInput id="cand-reason" value={reason} onValueChange={setReason} />
      </Field>
      <div className="flex items-center gap-3">
        <Button type="submit" size="xs" loading={active.isPending} disabled={!choice}>
          {strategy === "direct" ? "Replace stable version" : `Start ${STRATEGIES.find((s) => s.value === strategy)!.label.toLowerCase()}`}
        </Button>
      </div>
      <FormError error={active.error} />
    </form>
  );
}
