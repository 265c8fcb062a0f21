"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Callout } from "@tremor/react";
import { Textarea, TextInput } from "../../../../../_components/inputs";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field } from "../../../../../_components/field";
import { useOrg } from "../../../../../_components/org-context";
import { ErrorState, FormError, LoadingRows, Section } from "../../../../../_components/states";
import { fieldErrors } from "../../../../../_lib/errors";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import { useDataset } from "../../_components/dataset-context";
import { SplitFields, splitConfigOf, splitDraftOf } from "../../_components/split-fields";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { DatasetDangerZone } from "./danger-zone";

export function DatasetSettings() {
  const trpc = useTRPC();
  const dataset = useDataset();
  const info = useQuery(trpc.dataset.get.queryOptions({ projectId: dataset.projectId, datasetId: dataset.id }));
  if (info.isPending) return <LoadingRows label="Loading dataset" />;
  if (info.error) return <ErrorState error={info.error} onRetry={() => void info.refetch()} />;
  return (
    <div className="space-y-6">
      <SettingsForm initial={info.data} />
      <DatasetDangerZone dataset={info.data} />
    </div>
  );
}

function SettingsForm({ initial }: { initial: RouterOutputs["dataset"]["get"] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org, can } = useOrg();
  const dataset = useDataset();
  const canWrite = can("MEMBER");
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [split, setSplit] = useState(() => splitDraftOf(initial.splitConfig));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.dataset.update.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await refreshAfterWrite(queryClient, trpc.dataset.pathKey());
        router.refresh();
      },
    }),
  );
  const errors = fieldErrors(update.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate({ projectId: dataset.projectId, datasetId: dataset.id, name, description, splitConfig: splitConfigOf(split) });
  };

  return (
    <div className="space-y-6">
      {!canWrite ? (
        <Callout title="Read-only" color="slate">
          Your role ({org.role.toLowerCase()}) can view this dataset&apos;s settings; members can change them.
        </Callout>
      ) : null}
      <Section title="General" description="The URL slug stays the same. A new split applies to versions uploaded from now on; existing versions keep theirs.">
        <form onSubmit={submit} className="max-w-2xl space-y-4" aria-label="Dataset settings">
          <Field label="Name" htmlFor="dataset-settings-name" error={errors.name}>
            <TextInput id="dataset-settings-name" value={name} onValueChange={setName} disabled={!canWrite} error={!!errors.name} />
          </Field>
          <Field label="Description" htmlFor="dataset-settings-description" error={errors.description}>
            <Textarea id="dataset-settings-description" value={description} onValueChange={setDescription} rows={3} disabled={!canWrite} />
          </Field>
          <SplitFields idPrefix="dataset-settings" value={split} onChange={setSplit} error={errors.splitConfig} disabled={!canWrite} />
          <FormError error={update.error} />
          <div className="flex items-center gap-3">
            <Button type="submit" loading={update.isPending} disabled={!canWrite}>
              Save changes
            </Button>
            {saved && !update.isPending ? <span className="text-sm text-emerald-600">Saved.</span> : null}
          </div>
        </form>
      </Section>
    </div>
  );
}
