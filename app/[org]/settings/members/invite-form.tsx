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
    <Section
      title="Invite someone"
      description="Every invitation is a one-time link that you pass on. Nobody joins until they accept it; people who already have an account also find it under their invitations."
    >
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
      {result ? <InvitationLink result={result} orgName={org.name} /> : null}
    </Section>
  );
}

/** The invitation link, shown this once: only its hash is stored, so it cannot be displayed again. */
function InvitationLink({ result, orgName }: { result: InviteResult; orgName: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(result.link).catch(() => undefined);
    setCopied(true);
  };
  return (
    <Callout title="Invitation created" color="blue">
      <span className="block">
        Send this link to {result.invitation.email}; it lets them join {orgName} as {result.invitation.role.toLowerCase()}. It is shown only once,
        works once and expires in 7 days. The server log has it too.
      </span>
      <span className="mt-2 flex items-center gap-2">
        <input
          readOnly
          aria-label="Invitation link"
          value={result.link}
          onFocus={(e) => e.currentTarget.select()}
          className="w-full rounded-md border border-blue-200 bg-white px-2 py-1 font-mono text-xs text-gray-800"
        />
        <Button type="button" size="xs" variant="secondary" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </span>
    </Callout>
  );
}
