"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Switch } from "@tremor/react";
import { useState, type FormEvent } from "react";
import { Field } from "../../../../../_components/field";
import { OptionSelect, TextInput } from "../../../../../_components/inputs";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { errorMessage } from "../../../../../_lib/errors";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC } from "../../../../../_lib/trpc";
import { CONDITION_KINDS, ruleInput, type RuleDraft } from "../../_components/rule-draft";
import { RetrainFields } from "./retrain-fields";

const SEVERITIES = (["info", "warning", "critical"] as const).map((s) => ({ value: s, label: s }));

/** Creates a rule (ruleId null) or replaces one; the server checks the definition and its message is shown as given. */
export function RuleForm({ monitorName, ruleId, initial, features, onDone }: { monitorName: string; ruleId: string | null; initial: RuleDraft; features: readonly string[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org } = useOrg();
  const project = useProject();
  const [d, setD] = useState<RuleDraft>(initial);
  const channels = useQuery(trpc.alert.channels.queryOptions({ orgId: org.id }));
  const pipelines = useQuery(trpc.pipeline.list.queryOptions({ projectId: project.id }));
  const after = { onSuccess: async () => { await refreshAfterWrite(queryClient, trpc.monitor.rules.pathKey()); onDone(); } };
  const create = useMutation(trpc.monitor.createRule.mutationOptions(after));
  const update = useMutation(trpc.monitor.updateRule.mutationOptions(after));
  const pending = create.isPending || update.isPending;
  const error = ruleId ? update.error : create.error;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setD((x) => ({ ...x, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const rule = ruleInput(d);
    if (ruleId) update.mutate({ projectId: project.id, name: monitorName, ruleId, rule });
    else create.mutate({ projectId: project.id, name: monitorName, rule });
  };
  const id = (s: string) => `rule-${ruleId ?? "new"}-${s}`;

  return (
    <form onSubmit={submit} className="space-y-4 rounded-md border border-gray-200 bg-gray-50/50 p-4" aria-label={ruleId ? "Edit rule" : "New rule"} noValidate>
      <fieldset disabled={pending} className="grid gap-4 md:grid-cols-3">
        <Field label="Name" htmlFor={id("name")}>
          <TextInput id={id("name")} value={d.name} onValueChange={(v) => set("name", v)} />
        </Field>
        <Field label="Fires when" htmlFor={id("on")}>
          <OptionSelect id={id("on")} name="rule-on" value={d.on} options={CONDITION_KINDS} onChange={(v) => set("on", v)} />
        </Field>
        {d.on === "feature" ? (
          <Field label="Feature" htmlFor={id("feature")} hint={features.length ? `e.g. ${features.slice(0, 3).join(", ")}` : undefined}>
            <TextInput id={id("feature")} value={d.feature} onValueChange={(v) => set("feature", v)} />
          </Field>
        ) : null}
        {d.on === "concept" ? (
          <>
            <Field label="Metric" htmlFor={id("metric")} hint="e.g. rmse, mae, accuracy, auc">
              <TextInput id={id("metric")} value={d.metric} onValueChange={(v) => set("metric", v)} />
            </Field>
            <Field label="Alarm below (min)" htmlFor={id("min")}>
              <TextInput id={id("min")} value={d.min} onValueChange={(v) => set("min", v)} inputMode="decimal" />
            </Field>
            <Field label="Alarm above (max)" htmlFor={id("max")}>
              <TextInput id={id("max")} value={d.max} onValueChange={(v) => set("max", v)} inputMode="decimal" />
            </Field>
          </>
        ) : null}
        {d.on === "latency" ? (
          <Field label="p95 limit (ms)" htmlFor={id("p95")} hint="Blank: the monitor's own limit.">
            <TextInput id={id("p95")} value={d.p95Ms} onValueChange={(v) => set("p95Ms", v)} inputMode="decimal" />
          </Field>
        ) : null}
        {d.on === "error_rate" ? (
          <Field label="Error rate limit (0–1)" htmlFor={id("err")} hint="Blank: the monitor's own limit.">
            <TextInput id={id("err")} value={d.maxErrorRate} onValueChange={(v) => set("maxErrorRate", v)} inputMode="decimal" />
          </Field>
        ) : null}
        <Field label="Severity" htmlFor={id("severity")}>
          <OptionSelect id={id("severity")} name="rule-severity" value={d.severity} options={SEVERITIES} onChange={(v) => set("severity", v)} />
        </Field>
        <Field label="Cooldown (minutes)" htmlFor={id("cooldown")} hint="No repeat message for the same subject within it.">
          <TextInput id={id("cooldown")} value={d.cooldownMinutes} onValueChange={(v) => set("cooldownMinutes", v)} inputMode="numeric" />
        </Field>
        <RetrainFields d={d} set={set} id={id} pipelines={(pipelines.data ?? []).map((p) => p.name)} />
      </fieldset>
      <fieldset disabled={pending}>
        <legend className="text-sm font-medium text-gray-700">Channels</legend>
        {channels.isPending ? (
          <p className="text-xs text-gray-500">Loading channels…</p>
        ) : channels.error ? (
          <p className="text-xs text-rose-600">Could not load channels: {channels.error.message}</p>
        ) : channels.data.length === 0 ? (
          <p className="text-xs text-gray-500">The organisation has no alert channels yet (an admin adds them in the organisation&apos;s settings); the incident is still listed here.</p>
        ) : (
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {channels.data.map((c) => (
              <label key={c.id} className="flex items-center gap-1.5 text-sm text-gray-700">
                <input
                  type="checkbox"
                  checked={d.channelIds.includes(c.id)}
                  onChange={() => set("channelIds", d.channelIds.includes(c.id) ? d.channelIds.filter((x) => x !== c.id) : [...d.channelIds, c.id])}
                  className="rounded border-gray-300"
                />
                {c.name} <span className="text-xs text-gray-400">{c.kind}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div className="flex items-center gap-2">
        <Switch id={id("enabled")} checked={d.enabled} onChange={(v) => set("enabled", v)} />
        <label htmlFor={id("enabled")} className="text-sm text-gray-700">
          Enabled
        </label>
      </div>
      {error ? (
        <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700" data-rule-error>
          {errorMessage(error)}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" size="sm" loading={pending}>
          {ruleId ? "Save rule" : "Create rule"}
        </Button>
        <Button type="button" size="sm" variant="secondary" onClick={onDone} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
