"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Dialog, DialogPanel } from "@tremor/react";
import { TextInput } from "../_components/inputs";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrors } from "../_lib/errors";
import { useTRPC } from "../_lib/trpc";
import { RoleBadge } from "./badges";
import { Field } from "./field";
import { useOrg } from "./org-context";
import { Popover } from "./popover";
import { FormError } from "./states";
import { refreshAfterWrite } from "../_lib/refresh";

export function OrgSwitcher() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const orgs = useQuery(trpc.org.list.queryOptions());
  const invitations = useQuery(trpc.invitation.listMine.queryOptions());
  const waiting = invitations.data?.length ?? 0;
  const [creating, setCreating] = useState(false);

  return (
    <>
      <Popover label="Switch organisation" align="left" button={<span className="max-w-[16rem] truncate font-medium text-gray-900">{org.name}</span>}>
        {(close) => (
          <div>
            <p className="px-3 pb-1 pt-2 text-xs font-medium uppercase tracking-wide text-gray-400">Organisations</p>
            {orgs.isPending ? <p className="px-3 py-2 text-sm text-gray-500">Loading…</p> : null}
            {orgs.error ? <p className="px-3 py-2 text-sm text-rose-600">{orgs.error.message}</p> : null}
            {orgs.data?.map((o) => (
              <Link
                key={o.id}
                role="menuitem"
                href={`/${o.slug}`}
                onClick={close}
                className={`flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm hover:bg-gray-50 ${o.id === org.id ? "bg-gray-50 font-medium" : ""}`}
              >
                <span className="truncate">{o.name}</span>
                <RoleBadge role={o.role} />
              </Link>
            ))}
            <div className="my-1 border-t border-gray-100" />
            {waiting > 0 ? (
              <Link role="menuitem" href="/invite" onClick={close} className="block rounded-md px-3 py-2 text-sm text-gray-700 hover:bg-gray-50">
                Invitations <span className="ml-1 rounded-full bg-blue-100 px-2 text-xs font-medium text-blue-700">{waiting}</span>
              </Link>
            ) : null}
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                close();
                setCreating(true);
              }}
              className="w-full rounded-md px-3 py-2 text-left text-sm text-blue-600 hover:bg-blue-50"
            >
              + Create organisation
            </button>
          </div>
        )}
      </Popover>
      <CreateOrgDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateOrgDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const create = useMutation(
    trpc.org.create.mutationOptions({
      onSuccess: async (created) => {
        await refreshAfterWrite(queryClient, trpc.org.list.queryKey());
        onClose();
        setName("");
        setSlug("");
        router.push(`/${created.slug}`);
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, slug: slug.trim() || undefined });
  };

  return (
    <Dialog open={open} onClose={() => !create.isPending && onClose()}>
      <DialogPanel className="max-w-md">
        <form onSubmit={submit} className="space-y-4" aria-label="Create organisation">
          <h3 className="text-lg font-semibold text-gray-900">Create organisation</h3>
          <Field label="Name" htmlFor="new-org-name" error={errors.name}>
            <TextInput id="new-org-name" value={name} onValueChange={setName} placeholder="Acme ML" autoFocus />
          </Field>
          <Field label="URL slug (optional)" htmlFor="new-org-slug" hint="Lowercase letters, digits and dashes; derived from the name if empty." error={errors.slug}>
            <TextInput id="new-org-slug" value={slug} onValueChange={setSlug} placeholder="acme-ml" />
          </Field>
          <FormError error={create.error} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" color="gray" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </div>
        </form>
      </DialogPanel>
    </Dialog>
  );
}
