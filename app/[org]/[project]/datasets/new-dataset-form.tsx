"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@tremor/react";
import { Textarea, TextInput } from "../../../_components/inputs";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field } from "../../../_components/field";
import { useOrg, useProject } from "../../../_components/org-context";
import { FormError } from "../../../_components/states";
import { fieldErrors } from "../../../_lib/errors";
import { useTRPC } from "../../../_lib/trpc";
import { DEFAULT_SPLIT } from "@/server/datasets/schemas";
import { SplitFields, splitConfigOf, splitDraftOf } from "./_components/split-fields";
import { refreshAfterWrite } from "../../../_lib/refresh";

export function NewDatasetForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org } = useOrg();
  const project = useProject();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [description, setDescription] = useState("");
  const [split, setSplit] = useState(() => splitDraftOf(DEFAULT_SPLIT));
  const create = useMutation(
    trpc.dataset.create.mutationOptions({
      onSuccess: async (dataset) => {
        await refreshAfterWrite(queryClient, trpc.dataset.list.queryKey());
        onDone();
        router.push(`/${org.slug}/${project.slug}/datasets/${dataset.slug}`);
      },
    }),
  );
  const errors = fieldErrors(create.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ projectId: project.id, name, slug: slug.trim() || undefined, description, splitConfig: splitConfigOf(split) });
  };

  return (
    <Card>
      <form onSubmit={submit} className="space-y-4" aria-label="New dataset">
        <h2 className="text-tremor-title font-semibold text-gray-900">New dataset</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" htmlFor="dataset-name" error={errors.name}>
            <TextInput id="dataset-name" value={name} onValueChange={setName} placeholder="Customer events" autoFocus error={!!errors.name} />
          </Field>
          <Field label="URL slug (optional)" htmlFor="dataset-slug" hint="Derived from the name when empty; used in API paths." error={errors.slug}>
            <TextInput id="dataset-slug" value={slug} onValueChange={setSlug} placeholder="customer-events" error={!!errors.slug} />
          </Field>
        </div>
        <Field label="Description (optional)" htmlFor="dataset-description" error={errors.description}>
          <Textarea id="dataset-description" value={description} onValueChange={setDescription} rows={2} placeholder="Where the data comes from and what a row is" />
        </Field>
        <SplitFields idPrefix="dataset" value={split} onChange={setSplit} error={errors.splitConfig} />
        <FormError error={create.error} />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" color="gray" onClick={onDone} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create dataset
          </Button>
        </div>
      </form>
    </Card>
  );
}
