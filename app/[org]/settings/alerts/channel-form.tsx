"use client";

import { useMutation } from "@tanstack/react-query";
import { Button, Card, Select, SelectItem } from "@tremor/react";
import { useState, type FormEvent } from "react";
import { Field } from "../../../_components/field";
import { TextInput } from "../../../_components/inputs";
import { useOrg } from "../../../_components/org-context";
import { FormError } from "../../../_components/states";
import { fieldErrors } from "../../../_lib/errors";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";

type Channel = RouterOutputs["alert"]["channels"][number];
type Kind = Channel["kind"];

/** A random signing secret made in the browser: the admin copies it into the receiver before saving. */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function ChannelForm({ channel, onDone, onCancel }: { channel?: Channel; onDone: () => Promise<unknown>; onCancel: () => void }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const [name, setName] = useState(channel?.name ?? "");
  const [kind, setKind] = useState<Kind>(channel?.kind ?? "email");
  const [to, setTo] = useState(channel?.public.to?.join(", ") ?? "");
  const [url, setUrl] = useState("");
  const [label, setLabel] = useState(channel?.public.channelLabel ?? "");
  const [secret, setSecret] = useState("");
  const create = useMutation(trpc.alert.createChannel.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.alert.updateChannel.mutationOptions({ onSuccess: onDone }));
  const mutation = channel ? update : create;
  const errors = fieldErrors(mutation.error);
  const keeping = channel !== undefined && channel.kind === kind;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const recipients = to.split(/[\s,;]+/).filter(Boolean);
    if (channel) {
      const config =
        kind === "email"
          ? { kind, to: recipients }
          : kind === "slack"
            ? { kind, channelLabel: label, ...(url ? { webhookUrl: url } : {}) }
            : { kind, ...(url ? { url } : {}), ...(secret ? { secret } : {}) };
      update.mutate({ orgId: org.id, channelId: channel.id, name, config });
    } else {
      const config = kind === "email" ? { kind, to: recipients } : kind === "slack" ? { kind, webhookUrl: url, channelLabel: label } : { kind, url, secret };
      create.mutate({ orgId: org.id, name, config });
    }
  };

  return (
    <Card>
      <form onSubmit={submit} className="space-y-4" aria-label={channel ? `Edit channel ${channel.name}` : "New alert channel"}>
        <h2 className="text-tremor-title font-semibold text-gray-900">{channel ? `Edit ${channel.name}` : "New alert channel"}</h2>
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Name" htmlFor="channel-name" error={errors.name}>
            <TextInput id="channel-name" value={name} onValueChange={setName} placeholder="ML on-call" error={!!errors.name} />
          </Field>
          <Field label="Kind" htmlFor="channel-kind">
            <Select id="channel-kind" value={kind} onValueChange={(v) => setKind(v as Kind)} enableClear={false} data-testid="channel-kind">
              <SelectItem value="email">E-mail (the organisation’s SMTP server)</SelectItem>
              <SelectItem value="slack">Slack incoming webhook</SelectItem>
              <SelectItem value="webhook">Webhook (signed JSON POST)</SelectItem>
            </Select>
          </Field>
          {kind === "email" ? (
            <div className="md:col-span-2">
              <Field label="Recipients" htmlFor="channel-to" hint="E-mail addresses, separated by commas." error={errors.config}>
                <TextInput id="channel-to" value={to} onValueChange={setTo} placeholder="ml-oncall@example.com, lead@example.com" error={!!errors.config} />
              </Field>
            </div>
          ) : (
            <div className="md:col-span-2">
              <Field
                label={kind === "slack" ? "Slack webhook URL" : "Webhook URL"}
                htmlFor="channel-url"
                hint={keeping ? "Stored encrypted; leave empty to keep the current URL." : "Stored encrypted; only its host is shown afterwards."}
                error={errors.config}
              >
                <TextInput id="channel-url" value={url} onValueChange={setUrl} placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://alerts.example.com/cairn"} error={!!errors.config} />
              </Field>
            </div>
          )}
          {kind === "slack" ? (
            <Field label="Slack channel (label, optional)" htmlFor="channel-label" hint="Shown here only; the webhook itself decides where messages go.">
              <TextInput id="channel-label" value={label} onValueChange={setLabel} placeholder="#ml-alerts" />
            </Field>
          ) : null}
          {kind === "webhook" ? (
            <div className="md:col-span-2">
              <Field label="Signing secret" htmlFor="channel-secret" hint={keeping ? "Leave empty to keep the current secret." : "At least 24 characters. Copy it into your receiver now: it is never shown again."}>
                <div className="flex gap-2">
                  <TextInput id="channel-secret" value={secret} onValueChange={setSecret} autoComplete="off" className="font-mono" />
                  <Button type="button" variant="secondary" onClick={() => setSecret(newSecret())}>
                    Generate
                  </Button>
                </div>
              </Field>
            </div>
          ) : null}
        </div>
        <FormError error={mutation.error} />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" color="gray" onClick={onCancel} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {channel ? "Save channel" : "Create channel"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
