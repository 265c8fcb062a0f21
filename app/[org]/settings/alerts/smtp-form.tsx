"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Switch } from "@tremor/react";
import { useState, type FormEvent } from "react";
import { Field } from "../../../_components/field";
import { NumberInput, TextInput } from "../../../_components/inputs";
import { useOrg } from "../../../_components/org-context";
import { ErrorState, FormError, LoadingRows } from "../../../_components/states";
import { fieldErrors } from "../../../_lib/errors";
import { refreshAfterWrite } from "../../../_lib/refresh";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";

type Settings = RouterOutputs["alert"]["smtp"];

/** The organisation's SMTP server; the stored password is never shown, only whether there is one. */
export function SmtpForm() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const settings = useQuery(trpc.alert.smtp.queryOptions({ orgId: org.id }));
  if (settings.isPending) return <LoadingRows label="Loading SMTP settings" rows={2} />;
  if (settings.error) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <SmtpFields settings={settings.data} />;
}

function SmtpFields({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org } = useOrg();
  const [form, setForm] = useState({ host: settings.host, port: settings.port, secure: settings.secure, user: settings.user ?? "", password: "", from: settings.from });
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.alert.setSmtp.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        setForm((f) => ({ ...f, password: "" }));
        await refreshAfterWrite(queryClient, trpc.alert.smtp.queryKey());
      },
    }),
  );
  const errors = fieldErrors(save.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate({
      orgId: org.id,
      host: form.host,
      port: form.port,
      secure: form.secure,
      user: form.user.trim() || null,
      // Empty keeps the stored password; without a user there is nothing to authenticate.
      password: !form.user.trim() ? null : form.password ? form.password : undefined,
      from: form.from,
    });
  };
  const set = <K extends keyof typeof form>(key: K) => (value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <form onSubmit={submit} className="max-w-2xl space-y-4" aria-label="SMTP server">
      <div className="grid gap-4 md:grid-cols-3">
        <div className="md:col-span-2">
          <Field label="Host" htmlFor="smtp-host" error={errors.host}>
            <TextInput id="smtp-host" value={form.host} onValueChange={set("host")} placeholder="smtp.example.com" error={!!errors.host} />
          </Field>
        </div>
        <Field label="Port" htmlFor="smtp-port" error={errors.port}>
          <NumberInput id="smtp-port" value={form.port} onValueChange={(v) => set("port")(Number(v))} min={1} max={65535} enableStepper={false} error={!!errors.port} />
        </Field>
        <Field label="User (optional)" htmlFor="smtp-user" error={errors.user}>
          <TextInput id="smtp-user" value={form.user} onValueChange={set("user")} autoComplete="off" error={!!errors.user} />
        </Field>
        <Field
          label="Password"
          htmlFor="smtp-password"
          hint={settings.hasPassword ? "A password is stored; leave empty to keep it." : "Stored encrypted; never shown again."}
          error={errors.password}
        >
          <TextInput id="smtp-password" type="password" value={form.password} onValueChange={set("password")} autoComplete="new-password" disabled={!form.user.trim()} error={!!errors.password} />
        </Field>
        <Field label="From address" htmlFor="smtp-from" error={errors.from}>
          <TextInput id="smtp-from" value={form.from} onValueChange={set("from")} placeholder="cairn@example.com" error={!!errors.from} />
        </Field>
      </div>
      <label className="flex items-center gap-3 text-sm text-gray-700" htmlFor="smtp-secure">
        <Switch id="smtp-secure" checked={form.secure} onChange={set("secure")} />
        TLS from the first byte (port 465). Off: STARTTLS when the server offers it (587, 25); required when a login goes to another host.
      </label>
      <FormError error={save.error} />
      <div className="flex items-center gap-3">
        <Button type="submit" loading={save.isPending}>
          Save SMTP settings
        </Button>
        {saved && !save.isPending ? <span className="text-sm text-emerald-600">Saved.</span> : null}
      </div>
    </form>
  );
}
