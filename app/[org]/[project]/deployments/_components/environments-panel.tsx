"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Select, SelectItem, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { useState } from "react";
import { Field } from "../../../../_components/field";
import { TextInput } from "../../../../_components/inputs";
import { useOrg, useProject } from "../../../../_components/org-context";
import { FormError, Section } from "../../../../_components/states";
import { fieldErrors } from "../../../../_lib/errors";
import { refreshAfterWrite } from "../../../../_lib/refresh";
import { useTRPC, type RouterOutputs } from "../../../../_lib/trpc";
import { PolicyBadge, policyHint, policyWord } from "./badges";

type Environment = RouterOutputs["deployment"]["environments"][number];
const REQUIREMENTS = ["none", "gate_passed", "approved"] as const;

function PolicySelect({ env }: { env: Environment }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const project = useProject();
  const update = useMutation(trpc.deployment.updateEnvironment.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.deployment.pathKey()) }));
  return (
    <div className="w-48 space-y-1">
      <Select
        aria-label={`Policy of ${env.name}`}
        value={env.requires}
        enableClear={false}
        disabled={update.isPending}
        onValueChange={(requires) => update.mutate({ projectId: project.id, environmentId: env.id, requires: requires as Environment["requires"] })}
      >
        {REQUIREMENTS.map((r) => (
          <SelectItem key={r} value={r}>
            {policyWord(r)}
          </SelectItem>
        ))}
      </Select>
      <FormError error={update.error} />
    </div>
  );
}

/** The project's environments and what each requires of a version before it may take traffic there (ADMIN edits). */
export function EnvironmentsPanel({ environments }: { environments: Environment[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const project = useProject();
  const admin = can("ADMIN");
  const [name, setName] = useState("");
  const [requires, setRequires] = useState<Environment["requires"]>("none");
  const create = useMutation(trpc.deployment.createEnvironment.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.deployment.pathKey()) }));
  const errors = fieldErrors(create.error);

  return (
    <Section title="Environments" description="Each environment has a policy: which gate state a model version needs before it may take traffic there. Every version a change would serve is checked.">
      <div className="overflow-x-auto">
        <Table aria-label="Environments">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Environment</TableHeaderCell>
              <TableHeaderCell>Policy</TableHeaderCell>
              <TableHeaderCell className="text-right">Deployments</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {environments.map((env) => (
              <TableRow key={env.id} data-environment={env.name}>
                <TableCell className="font-medium text-gray-900">{env.name}</TableCell>
                <TableCell>
                  {admin ? <PolicySelect env={env} /> : <PolicyBadge requires={env.requires} />}
                  <span className="mt-1 block text-xs text-gray-500">{policyHint(env.requires)}</span>
                </TableCell>
                <TableCell className="text-right tabular-nums">{env.deploymentCount}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {admin ? (
        <form
          aria-label="New environment"
          className="flex flex-wrap items-end gap-2 border-t border-gray-100 pt-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ projectId: project.id, name: name.trim(), requires }, { onSuccess: () => setName("") });
          }}
        >
          <div className="w-48">
            <Field label="New environment" htmlFor="env-name" error={errors.name}>
              <TextInput id="env-name" value={name} onValueChange={setName} placeholder="canary-eu" error={!!errors.name} />
            </Field>
          </div>
          <div className="w-48">
            <Field label="Policy" htmlFor="env-requires">
              <Select id="env-requires" aria-label="New environment policy" value={requires} onValueChange={(v) => setRequires(v as Environment["requires"])} enableClear={false}>
                {REQUIREMENTS.map((r) => (
                  <SelectItem key={r} value={r}>
                    {policyWord(r)}
                  </SelectItem>
                ))}
              </Select>
            </Field>
          </div>
          <Button type="submit" size="xs" variant="secondary" loading={create.isPending} disabled={!name.trim()}>
            Add environment
          </Button>
          <div className="w-full">
            <FormError error={create.error} />
          </div>
        </form>
      ) : null}
    </Section>
  );
}
