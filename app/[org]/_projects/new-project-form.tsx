"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@tremor/react";
import { Textarea, TextInput } from "../../_components/inputs";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field } from "../../_components/field";
import { useOrg } from "../../_components/org-context";
import { FormError } from "../../_components/states";
import { fieldErrors } from "../../_lib/errors";
import { useTRPC } from "../../_lib/trpc";
import { refreshAfterWrite } from "../../_lib/refresh";

export function NewProjectForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org } = useOrg();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: async (project) => {
        await refreshAfterWrite(queryClient, trpc.project.list.queryKey());
        onDone();
        router.push(`/${org.slug}/${project.slug}`);
      },
    }),
  );
  const errors = fieldErrors(create.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ orgId: org.id, name, slug: slug.trim() || undefined, description });
  };

  return (
    <Card>
      <form onSubmit={submit} className="space-y-4" aria-label="New project">
        <h2 className="text-tremor-title font-semibold text-gray-900">New project</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" htmlFor="project-name" error={errors.name}>
            <TextInput id="project-name" value={name} onValueChange={setName} placeholder="Churn prediction" autoFocus error={!!errors.name} />
          </Field>
          <Field label="URL slug (optional)" htmlFor="project-slug" hint="Derived from the name when empty." error={errors.slug}>
            <TextInput id="project-slug" value={slug} onValueChange={setSlug} placeholder="churn" error={!!errors.slug} />
          </Field>
        </div>
        <Field label="Description (optional)" htmlFor="project-description" error={errors.description}>
          <Textarea id="project-description" value={description} onValueChange={setDescription} rows={2} placeholder="What the model predicts and for whom" />
        </Field>
        <FormError error={create.error} />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" color="gray" onClick={onDone} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create project
          </Button>
        </div>
      </form>
    </Card>
  );
}
