"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Select, SelectItem } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "../../../../_components/field";
import { TextInput } from "../../../../_components/inputs";
import { useOrg, useProject } from "../../../../_components/org-context";
import { FormError, Section } from "../../../../_components/states";
import { fieldErrors } from "../../../../_lib/errors";
import { refreshAfterWrite } from "../../../../_lib/refresh";
import { useTRPC, type RouterOutputs } from "../../../../_lib/trpc";
import { deploymentPaths } from "./paths";
import { VersionSelect, versionChoice } from "./version-select";

type Environment = RouterOutputs["deployment"]["environments"][number];

/** Serves a model version under a name in an environment (strategy direct); the environment's policy may refuse it. */
export function NewDeploymentForm({ environments }: { environments: Environment[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org } = useOrg();
  const project = useProject();
  const models = useQuery(trpc.model.list.queryOptions({ projectId: project.id }));
  const [modelId, setModelId] = useState("");
  const [choice, setChoice] = useState("");
  // The most permissive environment first: production usually refuses a version without gate and approvals.
  const [environment, setEnvironment] = useState((environments.find((e) => e.requires === "none") ?? environments[0])?.name ?? "");
  const [name, setName] = useState("");
  const [reason, setReason] = useState("");
  const create = useMutation(trpc.deployment.create.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.deployment.pathKey()) }));
  const errors = fieldErrors(create.error);
  const paths = deploymentPaths(`/${org.slug}/${project.slug}`);

  if (models.data && models.data.length === 0) {
    return (
      <Section title="New deployment">
        <p className="text-sm text-gray-500">Register a model first (Models tab): a deployment serves one of its versions.</p>
      </Section>
    );
  }

  return (
    <Section title="New deployment" description="Serves one version of a model under a name; later versions arrive as candidates (canary, blue/green, shadow, A/B).">
      <form
        aria-label="New deployment"
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { projectId: project.id, modelId, environment, name: name.trim(), ...versionChoice(choice), reason: reason.trim() || undefined },
            { onSuccess: (d) => router.push(paths.deployment(d.name)) },
          );
        }}
      >
        <Field label="Model" htmlFor="new-dep-model" error={errors.modelId}>
          <Select
            id="new-dep-model"
            aria-label="Model"
            value={modelId}
            onValueChange={(v) => {
              setModelId(v);
              setChoice("");
              if (!name) setName(models.data?.find((m) => m.id === v)?.name ?? "");
            }}
            enableClear={false}
            placeholder={models.isPending ? "Loading…" : "Model"}
          >
            {(models.data ?? []).map((m) => (
              <SelectItem key={m.id} value={m.id}>
                {m.name}
              </SelectItem>
            ))}
          </Select>
        </Field>
        <Field label="Version or alias" htmlFor="new-dep-version" error={errors.versionId ?? errors.alias}>
          <VersionSelect id="new-dep-version" label="Version or alias" modelId={modelId} value={choice} onChange={setChoice} />
        </Field>
        <Field label="Environment" htmlFor="new-dep-env" error={errors.environment}>
          <Select id="new-dep-env" aria-label="Environment" value={environment} onValueChange={setEnvironment} enableClear={false}>
            {environments.map((env) => (
              <SelectItem key={env.id} value={env.name}>
                {env.name}
              </SelectItem>
            ))}
          </Select>
        </Field>
        <Field label="Name" htmlFor="new-dep-name" error={errors.name}>
          <TextInput id="new-dep-name" value={name} onValueChange={setName} placeholder="eta" error={!!errors.name} />
        </Field>
        <div className="sm:col-span-2 lg:col-span-3">
          <Field label="Reason (recorded in the ledger, optional)" htmlFor="new-dep-reason" error={errors.reason}>
            <TextInput id="new-dep-reason" value={reason} onValueChange={setReason} />
          </Field>
        </div>
        <Button type="submit" loading={create.isPending} disabled={!modelId || !choice || !environment || !name.trim()}>
          Create deployment
        </Button>
        <div className="sm:col-span-2 lg:col-span-4">
          <FormError error={create.error} />
        </div>
      </form>
    </Section>
  );
}
