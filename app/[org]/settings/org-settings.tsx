"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Callout } from "@tremor/react";
import { TextInput } from "../../_components/inputs";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { RoleBadge } from "../../_components/badges";
import { Field } from "../../_components/field";
import { useOrg } from "../../_components/org-context";
import { PageHeader } from "../../_components/page-header";
import { FormError, Section } from "../../_components/states";
import { fieldErrors } from "../../_lib/errors";
import { useTRPC } from "../../_lib/trpc";
import { refreshAfterWrite } from "../../_lib/refresh";

export function OrgSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org, can } = useOrg();
  const isAdmin = can("ADMIN");
  const [name, setName] = useState(org.name);
  const [saved, setSaved] = useState(false);
  const rename = useMutation(
    trpc.org.rename.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await refreshAfterWrite(queryClient, trpc.org.list.queryKey());
        router.refresh();
      },
    }),
  );
  const errors = fieldErrors(rename.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    rename.mutate({ orgId: org.id, name });
  };

  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description={`General settings of ${org.name}.`} />
      {!isAdmin ? (
        <Callout title="Read-only" color="slate">
          Your role ({org.role.toLowerCase()}) can view these settings; admins and owners can change them.
        </Callout>
      ) : null}
      <Section title="Organisation" description="The display name. The URL slug stays the same so links and scripts keep working.">
        <form onSubmit={submit} className="max-w-xl space-y-4" aria-label="Organisation settings">
          <Field label="Name" htmlFor="org-name" error={errors.name}>
            <TextInput id="org-name" value={name} onValueChange={setName} disabled={!isAdmin} error={!!errors.name} />
          </Field>
          <FormError error={rename.error} />
          <div className="flex items-center gap-3">
            <Button type="submit" loading={rename.isPending} disabled={!isAdmin}>
              Save
            </Button>
            {saved && !rename.isPending ? <span className="text-sm text-emerald-600">Saved.</span> : null}
          </div>
        </form>
        <dl className="grid max-w-xl grid-cols-2 gap-4 border-t border-gray-100 pt-4 text-sm">
          <div>
            <dt className="text-gray-500">URL slug</dt>
            <dd className="font-mono text-gray-900">{org.slug}</dd>
          </div>
          <div>
            <dt className="text-gray-500">Organisation id</dt>
            <dd className="font-mono text-gray-900">{org.id}</dd>
          </div>
          <div>
            <dt className="text-gray-500">Your role</dt>
            <dd>
              <RoleBadge role={org.role} />
            </dd>
          </div>
        </dl>
      </Section>
      <Section title="More settings">
        <ul className="grid gap-3 sm:grid-cols-3">
          {[
            { href: "members", title: "Members", text: "Invite people and set their roles." },
            { href: "tokens", title: "API tokens", text: "Credentials for CI systems and scripts." },
            { href: "alerts", title: "Alerts", text: "E-mail, Slack and webhook channels for alerts." },
            { href: "audit", title: "Audit log", text: "Who changed what, and when." },
          ].map((l) => (
            <li key={l.href}>
              <Link href={`/${org.slug}/settings/${l.href}`} className="block rounded-lg border border-gray-200 p-4 hover:border-blue-300 hover:bg-blue-50/40">
                <p className="text-sm font-medium text-gray-900">{l.title}</p>
                <p className="mt-1 text-sm text-gray-500">{l.text}</p>
              </Link>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
