"use client";

import { useMutation } from "@tanstack/react-query";
import { Button, Callout, Select, SelectItem } from "@tremor/react";
import { TextInput } from "../../../_components/inputs";
import { useState, type FormEvent } from "react";
import { ROLES, type Role } from "@/server/tenancy/schemas";
import { Field } from "../../../_components/field";
import { useOrg } from "../../../_components/org-context";
import { FormError, Section } from "../../../_components/states";
import { fieldErrors } from "../../../_lib/errors";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";

type InviteResult = RouterOutputs["member"]["invite"];

export function InviteForm({ onInvited }: { onInvited: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("MEMBER");
  const [result, setResult] = useState<InviteResult | null>(null);
  const invite = useMutation(
    trpc.member.invite.mutationOptions({
      onSuccess: async (res) => {
        setResult(res);
        setEmail("");
        await onInvited();
      },
    }),
  );
  const errors = fieldErrors(invite.error);
  // Only owners may hand out the OWNER role; offering it to admins would only produce an error.
  const roles = ROLES.filter((r) => r !== "OWNER" || can("OWNER"));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    invite.mutate({ orgId: org.id, email, role });
  };

  return (
    <Section title="Invite someone" description="People with a Cairn account are added at once; other addresses get an invitation that applies when they sign up.">
      <form onSubmit={submit} className="flex flex-wrap items-start gap-3" aria-label="Invite member">
        <div className="min-w-[16rem] flex-1">
          <Field label="E-mail" htmlFor="invite-email" error={errors.email}>
            <TextInput id="invite-email" type="email" value={email} onValueChange={setEmail} placeholder="colleague@example.com" error={!!errors.email} />
          </Field>
        </div>
        <div className="w-40">
          <Field label="Role" htmlFor="invite-role">
            <Select id="invite-role" value={role} onValueChange={(v) => setRole(v as Role)} enableClear={false} data-testid="invite-role">
              {roles.map((r) => (
                <SelectItem key={r} value={r}>
                  {r.charAt(0) + r.slice(1).toLowerCase()}
                </SelectItem>
              ))}
            </Select>
          </Field>
        </div>
        <div className="pt-6">
          <Button type="submit" loading={invite.isPending}>
            Invite
          </Button>
        </div>
      </form>
      <FormError error={invite.error} />
      {result?.status === "added" ? (
        <Callout title="Member added" color="emerald">
          {result.member.name} ({result.member.email}) already had an account and is now a {result.member.role.toLowerCase()} of {org.name}.
        </Callout>
      ) : null}
      {result?.status === "invited" ? (
        <Callout title="Invitation pending" color="blue">
          {result.invitation.email} has no Cairn account yet. They join as {result.invitation.role.toLowerCase()} when they sign up with this address.
        </Callout>
      ) : null}
    </Section>
  );
}
