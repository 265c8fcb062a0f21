"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Select, SelectItem } from "@tremor/react";
import { TextInput } from "../../../../../../_components/inputs";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field } from "../../../../../../_components/field";
import { OptionalColumn } from "../../../new/run-options";
import { useOrg, useProject } from "../../../../../../_components/org-context";
import { FormError } from "../../../../../../_components/states";
import { fieldErrors } from "../../../../../../_lib/errors";
import { useTRPC } from "../../../../../../_lib/trpc";
import { refreshAfterWrite } from "../../../../../../_lib/refresh";

const SPLITS = ["test", "validation", "train"] as const;

interface Props {
  runId: string;
  /** Starting point: the version (and its dataset) of the report being looked at, if any. */
  initial?: { datasetId: string; versionId: string; sliceColumn?: string | null; sensitiveColumn?: string | null; split?: string };
  binary: boolean;
}

/** Scores the run's model on another version or split; the same version and split again re-runs it. */
export function EvaluateForm({ runId, initial, binary }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org, can } = useOrg();
  const project = useProject();
  const [datasetId, setDatasetId] = useState(initial?.datasetId ?? "");
  const [versionId, setVersionId] = useState(initial?.versionId ?? "");
  const [split, setSplit] = useState<(typeof SPLITS)[number]>(initial?.split === "train" || initial?.split === "validation" ? initial.split : "test");
  const [slice, setSlice] = useState(initial?.sliceColumn ?? "");
  const [sensitive, setSensitive] = useState(initial?.sensitiveColumn ?? "");
  const [threshold, setThreshold] = useState("0.5");
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId: project.id }));
  const versions = useQuery(trpc.dataset.versions.queryOptions({ projectId: project.id, datasetId }, { enabled: datasetId !== "" }));
  const ready = (versions.data ?? []).filter((v) => v.profileStatus === "READY");
  const columns = ready.find((v) => v.id === versionId)?.columns ?? [];
  const evaluate = useMutation(
    trpc.training.evaluate.mutationOptions({
      onSuccess: async (summary) => {
        await refreshAfterWrite(queryClient, trpc.training.evaluations.queryKey({ projectId: project.id, runId }));
        await refreshAfterWrite(queryClient, trpc.training.evaluation.queryKey({ projectId: project.id, reportId: summary.id }));
        router.push(`/${org.slug}/${project.slug}/runs/${runId}/evaluations/${summary.id}`);
      },
    }),
  );
  const errors = fieldErrors(evaluate.error);
  const disabled = !can("MEMBER") || evaluate.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    evaluate.mutate({
      projectId: project.id,
      runId,
      versionId,
      split,
      sliceColumn: columns.includes(slice) ? slice : undefined,
      sensitiveColumn: columns.includes(sensitive) ? sensitive : undefined,
      threshold: binary ? Number(threshold) : undefined,
    });
  };

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Evaluate the model">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Field label="Dataset" htmlFor="evaluate-dataset">
          <Select id="evaluate-dataset" value={datasetId} onValueChange={(id) => {
              setDatasetId(id);
              setVersionId("");
            }} enableClear={false} placeholder="Pick a dataset" aria-label="Evaluation dataset" disabled={disabled}>
            {(datasets.data ?? []).map((d) => (
              <SelectItem key={d.id} value={d.id}>
                {d.name}
              </SelectItem>
            ))}
          </Select>
        </Field>
        <Field label="Version" htmlFor="evaluate-version" hint="Profiled versions only." error={errors.versionId}>
          <Select id="evaluate-version" value={versionId} onValueChange={setVersionId} enableClear={false} placeholder="Pick a version" aria-label="Evaluation version" disabled={disabled || ready.length === 0}>
            {ready.map((v) => (
              <SelectItem key={v.id} value={v.id}>
                {`v${v.number} · ${v.fileName}`}
              </SelectItem>
            ))}
          </Select>
        </Field>
        <Field label="Split" htmlFor="evaluate-split">
          <Select id="evaluate-split" value={split} onValueChange={(v) => setSplit(v as (typeof SPLITS)[number])} enableClear={false} aria-label="Evaluation split" disabled={disabled}>
            {SPLITS.map((s) => (
              <SelectItem key={s} value={s}>
                {s}
              </SelectItem>
            ))}
          </Select>
        </Field>
        <OptionalColumn id="evaluate-slice" label="Slice column" value={columns.includes(slice) ? slice : ""} columns={columns} disabled={disabled || columns.length === 0} onChange={setSlice} />
        <OptionalColumn id="evaluate-sensitive" label="Sensitive column" value={columns.includes(sensitive) ? sensitive : ""} columns={columns} disabled={disabled || columns.length === 0} onChange={setSensitive} />
        {binary ? (
          <Field label="Decision threshold" htmlFor="evaluate-threshold" hint="Positive when the score is ≥ this; 0 to 1." error={errors.threshold}>
            <TextInput id="evaluate-threshold" value={threshold} onValueChange={setThreshold} inputMode="decimal" disabled={disabled} error={!!errors.threshold} />
          </Field>
        ) : null}
      </div>
      <FormError error={evaluate.error} />
      <div className="flex justify-end">
        <Button type="submit" loading={evaluate.isPending} disabled={disabled || !versionId}>
          Evaluate
        </Button>
      </div>
    </form>
  );
}
