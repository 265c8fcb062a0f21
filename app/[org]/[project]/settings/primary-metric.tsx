"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Button, Select, SelectItem } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { Field } from "../../../_components/field";
import { TextInput } from "../../../_components/inputs";
import { useOrg, useProject } from "../../../_components/org-context";
import { FormError, Section } from "../../../_components/states";
import { fieldErrors } from "../../../_lib/errors";
import { useTRPC } from "../../../_lib/trpc";

/** The metric that ranks the project's models: the runs table shows it first, the overview reports it. */
export function PrimaryMetricSettings() {
  const trpc = useTRPC();
  const router = useRouter();
  const { can } = useOrg();
  const project = useProject();
  const isAdmin = can("ADMIN");
  const [key, setKey] = useState(project.primaryMetric?.key ?? "");
  const [goal, setGoal] = useState<"min" | "max">(project.primaryMetric?.goal ?? "min");
  const [saved, setSaved] = useState(false);
  const runs = useQuery(trpc.run.list.queryOptions({ projectId: project.id, limit: 200 }));
  const keys = useMemo(() => [...new Set((runs.data?.runs ?? []).flatMap((r) => r.metrics.map((m) => m.key)))].sort(), [runs.data]);
  const save = useMutation(
    trpc.project.setPrimaryMetric.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        router.refresh();
      },
    }),
  );
  const errors = fieldErrors(save.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate({ projectId: project.id, primaryMetric: key.trim() ? { key: key.trim(), goal } : null });
  };

  return (
    <Section title="Primary metric" description="The metric that ranks this project's models. The runs table shows it first; without one, Cairn uses the test metric the runs have (test/rmse, test/rocAuc…).">
      <form onSubmit={submit} className="flex max-w-xl flex-wrap items-end gap-3" aria-label="Primary metric">
        <div className="min-w-[14rem] flex-1">
          <Field label="Metric" htmlFor="primary-metric-key" error={errors["primaryMetric.key"]} hint={keys.length ? `${keys.length} metric keys among the latest runs` : undefined}>
            <TextInput id="primary-metric-key" list="primary-metric-keys" value={key} onValueChange={setKey} placeholder="test/rmse" disabled={!isAdmin} />
          </Field>
          <datalist id="primary-metric-keys">
            {keys.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </div>
        <div className="w-48">
          <Field label="Better when" htmlFor="primary-metric-goal">
            <Select id="primary-metric-goal" aria-label="Better when" value={goal} onValueChange={(v) => setGoal(v === "max" ? "max" : "min")} enableClear={false} disabled={!isAdmin}>
              <SelectItem value="min">lower (an error)</SelectItem>
              <SelectItem value="max">higher (a score)</SelectItem>
            </Select>
          </Field>
        </div>
        <Button type="submit" loading={save.isPending} disabled={!isAdmin}>
          Save
        </Button>
        {saved && !save.isPending ? <span className="text-sm text-emerald-600">Saved.</span> : null}
        <div className="w-full">
          <FormError error={save.error} />
        </div>
      </form>
    </Section>
  );
}
