"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Callout } from "@tremor/react";
import { Textarea, TextInput } from "../../../_components/inputs";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ConfirmButton } from "../../../_components/confirm-button";
import { Field } from "../../../_components/field";
import { useOrg, useProject } from "../../../_components/org-context";
import { FormError, Section } from "../../../_components/states";
import { fieldErrors } from "../../../_lib/errors";
import { useTRPC } from "../../../_lib/trpc";
import { PrimaryMetricSettings } from "./primary-metric";
import { TrainingCommands } from "./training-commands";
import { refreshAfterWrite } from "../../../_lib/refresh";

export function ProjectSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org, can } = useOrg();
  const project = useProject();
  const isAdmin = can("ADMIN");
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [saved, setSaved] = useState(false);

  const rename = useMutation(
    trpc.project.rename.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await refreshAfterWrite(queryClient, trpc.project.list.queryKey());
        router.refresh();
      },
    }),
  );
  const remove = useMutation(trpc.project.delete.mutationOptions());
  const errors = fieldErrors(rename.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    rename.mutate({ projectId: project.id, name, description });
  };

  const deleteProject = async () => {
    await remove.mutateAsync({ projectId: project.id });
    await refreshAfterWrite(queryClient, trpc.project.list.queryKey());
    router.push(`/${org.slug}`);
  };

  return (
    <div className="space-y-6">
      {!isAdmin ? (
        <Callout title="Read-only" color="slate">
          Your role ({org.role.toLowerCase()}) can view this project&apos;s settings; admins and owners can change them.
        </Callout>
      ) : null}
      <Section title="General" description="The name and description shown across Cairn. The URL slug stays the same.">
        <form onSubmit={submit} className="max-w-xl space-y-4" aria-label="Project settings">
          <Field label="Name" htmlFor="project-settings-name" error={errors.name}>
            <TextInput id="project-settings-name" value={name} onValueChange={setName} disabled={!isAdmin} error={!!errors.name} />
          </Field>
          <Field label="Description" htmlFor="project-settings-description" error={errors.description}>
            <Textarea id="project-settings-description" value={description} onValueChange={setDescription} rows={3} disabled={!isAdmin} />
          </Field>
          <FormError error={rename.error} />
          <div className="flex items-center gap-3">
            <Button type="submit" loading={rename.isPending} disabled={!isAdmin}>
              Save changes
            </Button>
            {saved && !rename.isPending ? <span className="text-sm text-emerald-600">Saved.</span> : null}
          </div>
        </form>
      </Section>
      <PrimaryMetricSettings />
      <TrainingCommands />
      {isAdmin ? (
        <Section title="Danger zone" description="Deleting a project removes it and everything it owns. This cannot be undone.">
          <div>
            <ConfirmButton label="Delete project" title={`Delete ${project.name}?`} confirmLabel="Delete project" onConfirm={deleteProject} size="sm">
              The project <span className="font-mono font-medium">{project.slug}</span> and all of its data will be deleted. This cannot be undone.
            </ConfirmButton>
          </div>
        </Section>
      ) : null}
    </div>
  );
}
