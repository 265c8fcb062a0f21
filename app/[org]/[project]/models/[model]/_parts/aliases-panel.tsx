"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Select, SelectItem } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { Field } from "../../../../../_components/field";
import { TextInput } from "../../../../../_components/inputs";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { FormError, Section } from "../../../../../_components/states";
import { fieldErrors } from "../../../../../_lib/errors";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC } from "../../../../../_lib/trpc";
import { AliasBadge } from "../../_components/badges";
import { useModel } from "../../_components/model-context";
import type { AliasRow, VersionRow } from "./types";

/** `champion` moves only through promotion (gate + approvals) and rollback, never by hand. */
const CHAMPION = "champion";

export function AliasesPanel({ aliases, versions }: { aliases: AliasRow[]; versions: VersionRow[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const project = useProject();
  const model = useModel();
  const canWrite = can("MEMBER");
  const live = versions.filter((v) => !v.archivedAt);
  const [name, setName] = useState("");
  const [versionId, setVersionId] = useState(live[0]?.id ?? "");
  const refresh = () => refreshAfterWrite(queryClient, trpc.model.pathKey());
  const set = useMutation(trpc.model.setAlias.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.model.removeAlias.mutationOptions({ onSuccess: refresh }));
  const errors = fieldErrors(set.error);

  return (
    <Section title="Aliases" description="Names that point at one version each; CI and deployments refer to a model by alias.">
      {aliases.length === 0 ? (
        <p className="text-sm text-gray-500">No aliases yet.</p>
      ) : (
        <ul aria-label="Aliases" className="divide-y divide-gray-100">
          {aliases.map((a) => (
            <li key={a.name} className="flex items-center justify-between gap-3 py-2 text-sm" data-alias-row={a.name}>
              <span className="flex items-center gap-2">
                <AliasBadge name={a.name} />
                <span className="text-gray-400">→</span>
                <Link href={model.paths.version(a.number)} className="font-medium text-gray-900 hover:underline">
                  v{a.number}
                </Link>
              </span>
              {a.name === CHAMPION ? (
                <span className="text-xs text-gray-400">moves by promotion and rollback</span>
              ) : canWrite ? (
                <Button size="xs" variant="light" color="rose" loading={remove.isPending && remove.variables?.alias === a.name} onClick={() => remove.mutate({ projectId: project.id, modelId: model.id, alias: a.name })}>
                  Remove
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <FormError error={remove.error} />
      {canWrite && live.length > 0 ? (
        <form
          aria-label="Set alias"
          className="flex flex-wrap items-end gap-2 border-t border-gray-100 pt-3"
          onSubmit={(e) => {
            e.preventDefault();
            set.mutate({ projectId: project.id, versionId, alias: name.trim() }, { onSuccess: () => setName("") });
          }}
        >
          <div className="w-44">
            <Field label="Alias" htmlFor="alias-name" error={errors.alias ?? (name.trim() === CHAMPION ? "champion moves by promotion" : undefined)}>
              <TextInput id="alias-name" value={name} onValueChange={setName} placeholder="challenger" error={!!errors.alias} />
            </Field>
          </div>
          <div className="w-40">
            <Field label="Version" htmlFor="alias-version">
              <Select id="alias-version" aria-label="Alias version" value={versionId} onValueChange={setVersionId} enableClear={false}>
                {live.map((v) => (
                  <SelectItem key={v.id} value={v.id}>
                    {`v${v.number}`}
                  </SelectItem>
                ))}
              </Select>
            </Field>
          </div>
          <Button type="submit" size="xs" loading={set.isPending} disabled={!name.trim() || name.trim() === CHAMPION || !versionId}>
            Set alias
          </Button>
          <div className="w-full">
            <FormError error={set.error} />
          </div>
        </form>
      ) : null}
    </Section>
  );
}
