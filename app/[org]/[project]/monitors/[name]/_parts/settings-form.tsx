"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Select, SelectItem, Switch } from "@tremor/react";
import { useState, type FormEvent } from "react";
import { Field } from "../../../../../_components/field";
import { NumberInput, TextInput } from "../../../../../_components/inputs";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { Section } from "../../../../../_components/states";
import { errorMessage } from "../../../../../_lib/errors";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC, type RouterInputs, type RouterOutputs } from "../../../../../_lib/trpc";

type Monitor = RouterOutputs["monitor"]["get"];
type Patch = RouterInputs["monitor"]["update"]["patch"];

interface Draft {
  windowKind: "hourly" | "daily" | "rows" | "dataset";
  rows: number;
  /** The watched dataset of a "new version of a dataset" window ("" = none chosen yet). */
  datasetId: string;
  mode: "calibrated" | "evidently";
  alpha: number;
  driftShare: number;
  schedule: string;
  enabled: boolean;
  /** Empty = every feature of the model. */
  features: string[];
  minLabels: number;
  labelDelayMinutes: number;
}

const draftOf = (m: Monitor): Draft => ({
  windowKind: m.window.kind,
  rows: m.window.kind === "rows" ? m.window.rows : 1000,
  datasetId: m.window.kind === "dataset" ? m.window.datasetId : "",
  mode: m.mode,
  alpha: m.alpha,
  driftShare: m.driftShare,
  schedule: m.schedule,
  enabled: m.enabled,
  features: m.features ?? [],
  minLabels: m.minLabels,
  labelDelayMinutes: Math.round(m.labelDelaySeconds / 60),
});

function toPatch(d: Draft): Patch {
  return {
    window: d.windowKind === "rows" ? { kind: "rows", rows: d.rows } : d.windowKind === "dataset" ? { kind: "dataset", datasetId: d.datasetId } : { kind: d.windowKind },
    mode: d.mode,
    alpha: d.alpha,
    driftShare: d.driftShare,
    schedule: d.schedule,
    enabled: d.enabled,
    features: d.features.length === 0 ? null : d.features,
    minLabels: d.minLabels,
    labelDelaySeconds: d.labelDelayMinutes * 60,
  };
}

/** The monitor's settings; the server checks every field and its message is shown as it is. */
export function SettingsForm({ monitor, knownFeatures }: { monitor: Monitor; knownFeatures: readonly string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const project = useProject();
  const [draft, setDraft] = useState<Draft>(() => draftOf(monitor));
  const [saved, setSaved] = useState(false);
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId: project.id }, { enabled: draft.windowKind === "dataset" }));
  const save = useMutation(
    trpc.monitor.update.mutationOptions({
      onSuccess: async (m) => {
        setDraft(draftOf(m));
        setSaved(true);
        await refreshAfterWrite(queryClient, trpc.monitor.pathKey());
      },
    }),
  );
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ projectId: project.id, name: monitor.name, patch: toPatch(draft) });
  };
  const editable = can("MEMBER");
  const choices = [...new Set([...knownFeatures, ...draft.features])];
  const toggle = (f: string) => set("features", draft.features.includes(f) ? draft.features.filter((x) => x !== f) : [...draft.features, f]);

  return (
    <Section title="Settings" description="Which windows are compared with the reference, how thresholds are set, and when the monitor runs.">
      {/* noValidate: the server checks every field and its message is the one shown (no second set of rules in the browser). */}
      <form onSubmit={submit} className="space-y-4" aria-label="Monitor settings" noValidate>
        <fieldset disabled={!editable || save.isPending} className="grid gap-4 md:grid-cols-3">
          <Field label="Window" htmlFor="mon-window" hint="Hourly and daily windows follow UTC; a row window takes the last N predictions; a dataset window scores each new version of the dataset with the stable model.">
            <div data-select="window"><Select id="mon-window" value={draft.windowKind} onValueChange={(v) => set("windowKind", v as Draft["windowKind"])} enableClear={false}>
              <SelectItem value="hourly">hourly</SelectItem>
              <SelectItem value="daily">daily</SelectItem>
              <SelectItem value="rows">every N rows</SelectItem>
              <SelectItem value="dataset">new version of a dataset</SelectItem>
            </Select></div>
          </Field>
          {draft.windowKind === "rows" ? (
            <Field label="Rows per window" htmlFor="mon-rows">
              <NumberInput id="mon-rows" value={draft.rows} min={20} step={100} onValueChange={(v) => set("rows", v)} />
            </Field>
          ) : null}
          {draft.windowKind === "dataset" ? (
            <Field label="Dataset" htmlFor="mon-dataset" hint="Each new version is judged once, as a window of its own; Run now judges the latest.">
              <div data-select="dataset"><Select id="mon-dataset" value={draft.datasetId} onValueChange={(v) => set("datasetId", v)} enableClear={false} placeholder={datasets.isPending ? "Loading datasets…" : "Choose a dataset"}>
                {(datasets.data ?? []).map((d) => (
                  <SelectItem key={d.id} value={d.id}>
                    {d.latest ? `${d.slug} (v${d.latest.number})` : `${d.slug} (no version yet)`}
                  </SelectItem>
                ))}
              </Select></div>
              {datasets.error ? <p className="mt-1 text-xs text-rose-700">{errorMessage(datasets.error)}</p> : null}
            </Field>
          ) : null}
          <Field label="Mode" htmlFor="mon-mode" hint="Calibrated: thresholds bootstrapped from the reference at this window size, with effect-size floors. Evidently: its fixed defaults, for comparison.">
            <div data-select="mode"><Select id="mon-mode" value={draft.mode} onValueChange={(v) => set("mode", v as Draft["mode"])} enableClear={false}>
              <SelectItem value="calibrated">calibrated</SelectItem>
              <SelectItem value="evidently">Evidently defaults</SelectItem>
            </Select></div>
          </Field>
          <Field label="α (false-alarm rate)" htmlFor="mon-alpha" hint="Calibrated mode: the share of windows from the reference itself that would alarm.">
            <NumberInput id="mon-alpha" value={draft.alpha} step={0.01} min={0} max={0.5} onValueChange={(v) => set("alpha", v)} />
          </Field>
          <Field label="Dataset drift at" htmlFor="mon-share" hint="Share of drifted features (0–1) at which the whole window drifts.">
            <NumberInput id="mon-share" value={draft.driftShare} step={0.05} min={0} max={1} onValueChange={(v) => set("driftShare", v)} />
          </Field>
          <Field label="Schedule (cron, UTC)" htmlFor="mon-schedule">
            <TextInput id="mon-schedule" value={draft.schedule} onValueChange={(v) => set("schedule", v)} />
          </Field>
          <Field label="Labels needed per window" htmlFor="mon-labels" hint="Concept drift: a window is judged once this many labels arrived…">
            <NumberInput id="mon-labels" value={draft.minLabels} min={1} step={10} onValueChange={(v) => set("minLabels", v)} />
          </Field>
          <Field label="Label delay (minutes)" htmlFor="mon-delay" hint="…and this long after the window ended.">
            <NumberInput id="mon-delay" value={draft.labelDelayMinutes} min={0} step={15} onValueChange={(v) => set("labelDelayMinutes", v)} />
          </Field>
          <div className="flex items-center gap-2 pt-6">
            <Switch id="mon-enabled" checked={draft.enabled} onChange={(v) => set("enabled", v)} />
            <label htmlFor="mon-enabled" className="text-sm text-gray-700">
              Run on schedule
            </label>
          </div>
        </fieldset>
        <fieldset disabled={!editable || save.isPending}>
          <legend className="text-sm font-medium text-gray-700">Features tested</legend>
          <p className="text-xs text-gray-500">None ticked = every feature of the model.</p>
          {choices.length === 0 ? (
            <p className="mt-1 text-xs text-gray-500">The model&apos;s features are listed after the first report.</p>
          ) : (
            <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
              {choices.map((f) => (
                <label key={f} className="flex items-center gap-1.5 text-sm text-gray-700">
                  <input type="checkbox" checked={draft.features.includes(f)} onChange={() => toggle(f)} className="rounded border-gray-300" />
                  <span className="font-mono">{f}</span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
        {save.error ? (
          <p role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700" data-settings-error>
            {errorMessage(save.error)}
          </p>
        ) : null}
        <div className="flex items-center gap-3">
          {editable ? (
            <Button type="submit" size="sm" loading={save.isPending}>
              Save settings
            </Button>
          ) : (
            <p className="text-xs text-gray-500">Changing a monitor needs the MEMBER role.</p>
          )}
          {saved ? (
            <span role="status" className="text-sm text-emerald-700" data-settings-saved>
              Saved.
            </span>
          ) : null}
        </div>
      </form>
    </Section>
  );
}
