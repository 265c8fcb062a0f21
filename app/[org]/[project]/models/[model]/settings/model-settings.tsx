"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Callout, Select, SelectItem } from "@tremor/react";
import { useState, type FormEvent } from "react";
import { Field } from "../../../../../_components/field";
import { Textarea } from "../../../../../_components/inputs";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { ErrorState, FormError, LoadingRows, Section } from "../../../../../_components/states";
import { fieldErrors } from "../../../../../_lib/errors";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC } from "../../../../../_lib/trpc";
import { useModel } from "../../_components/model-context";
import type { ModelDetail } from "../_parts/types";

const OFF = "__off__";

export function ModelSettings() {
  const trpc = useTRPC();
  const project = useProject();
  const model = useModel();
  const detail = useQuery(trpc.model.get.queryOptions({ projectId: project.id, modelId: model.id }));
  const experiments = useQuery(trpc.run.experiments.queryOptions({ projectId: project.id }));
  if (detail.isPending || experiments.isPending) return <LoadingRows label="Loading settings" />;
  if (detail.error) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  if (experiments.error) return <ErrorState error={experiments.error} onRetry={() => void experiments.refetch()} />;
  return <SettingsForm initial={detail.data} experiments={experiments.data} />;
}

function SettingsForm({ initial, experiments }: { initial: ModelDetail; experiments: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const project = useProject();
  const model = useModel();
  const canWrite = can("MEMBER");
  const [description, setDescription] = useState(initial.description);
  const [experimentId, setExperimentId] = useState(initial.autoRegister?.experimentId ?? OFF);
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.model.update.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await refreshAfterWrite(queryClient, trpc.model.pathKey());
      },
    }),
  );
  const errors = fieldErrors(update.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate({ projectId: project.id, modelId: model.id, description, autoRegisterExperimentId: experimentId === OFF ? null : experimentId });
  };

  return (
    <div className="space-y-6">
      {!canWrite ? (
        <Callout title="Read-only" color="slate">
          Your role ({org.role.toLowerCase()}) can view this model&apos;s settings; members can change them.
        </Callout>
      ) : null}
      <Section title="General" description="The name and task of a model stay as registered: versions and aliases refer to them.">
        <form onSubmit={submit} className="max-w-2xl space-y-4" aria-label="Model settings">
          <Field label="Description" htmlFor="model-description" error={errors.description}>
            <Textarea id="model-description" value={description} onValueChange={setDescription} rows={3} disabled={!canWrite} />
          </Field>
          <Field
            label="Register automatically"
            htmlFor="model-auto-register"
            hint="Every run of this experiment that finishes with a model.onnx becomes a new version, and its gate is evaluated."
            error={errors.autoRegisterExperimentId}
          >
            <Select id="model-auto-register" aria-label="Auto-register experiment" value={experimentId} onValueChange={setExperimentId} enableClear={false} disabled={!canWrite}>
              {[
                <SelectItem key={OFF} value={OFF}>
                  Off: register by hand or from CI
                </SelectItem>,
                ...experiments.map((e) => (
                  <SelectItem key={e.id} value={e.id}>
                    {`Runs of “${e.name}”`}
                  </SelectItem>
                )),
              ]}
            </Select>
          </Field>
          <FormError error={update.error} />
          <div className="flex items-center gap-3">
            <Button type="submit" loading={update.isPending} disabled={!canWrite}>
              Save changes
            </Button>
            {saved ? (
              <span role="status" className="text-sm text-emerald-700">
                Saved.
              </span>
            ) : null}
          </div>
        </form>
      </Section>
    </div>
  );
}
