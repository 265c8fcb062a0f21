"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Callout, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { useState } from "react";
import { ConfirmButton } from "../../../_components/confirm-button";
import { useOrg } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { RelativeTime } from "../../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../_components/states";
import { errorMessage } from "../../../_lib/errors";
import { refreshAfterWrite } from "../../../_lib/refresh";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";
import { ChannelForm } from "./channel-form";
import { SmtpForm } from "./smtp-form";

type Channel = RouterOutputs["alert"]["channels"][number];

const KIND_LABEL: Record<Channel["kind"], string> = { email: "E-mail", slack: "Slack", webhook: "Webhook" };

function destination(c: Channel): string {
  if (c.kind === "email") return (c.public.to ?? []).join(", ");
  if (c.kind === "slack") return [c.public.channelLabel, c.public.host].filter(Boolean).join(" · ");
  return c.public.host ?? "";
}

export function AlertsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const isAdmin = can("ADMIN");
  const channels = useQuery(trpc.alert.channels.queryOptions({ orgId: org.id }));
  const [editing, setEditing] = useState<Channel | "new" | null>(null);
  const refresh = () => refreshAfterWrite(queryClient, trpc.alert.channels.queryKey());
  const test = useMutation(trpc.alert.testChannel.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.alert.deleteChannel.mutationOptions({ onSuccess: refresh }));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Alerts"
        description="Where monitors send alerts: e-mail through your SMTP server, Slack incoming webhooks and signed webhooks. Every project of the organisation can use these channels."
        actions={isAdmin && editing === null ? <Button onClick={() => setEditing("new")}>New channel</Button> : null}
      />
      {!isAdmin ? (
        <Callout title="Read-only" color="slate">
          Your role ({org.role.toLowerCase()}) can see the channels; admins and owners add, change and test them and set the SMTP server.
        </Callout>
      ) : null}
      {editing !== null ? (
        <ChannelForm
          key={editing === "new" ? "new" : editing.id}
          channel={editing === "new" ? undefined : editing}
          onCancel={() => setEditing(null)}
          onDone={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      ) : null}
      <Section title="Channels" description="Secrets (webhook URLs, signing secrets) are stored encrypted and never shown again; only the receiving host is.">
        {test.error ? <p className="mb-3 text-sm text-red-600">{errorMessage(test.error)}</p> : null}
        {test.data ? (
          <Callout className="mb-3" title={test.data.ok ? `Test message sent to ${test.data.channel.name}` : `Test to ${test.data.channel.name} failed`} color={test.data.ok ? "emerald" : "red"} role="status">
            {test.data.ok ? "Check the receiver: a message titled “Test of channel …” should be there." : test.data.error}
          </Callout>
        ) : null}
        {channels.isPending ? (
          <LoadingRows label="Loading channels" />
        ) : channels.error ? (
          <ErrorState error={channels.error} onRetry={() => void channels.refetch()} />
        ) : channels.data.length === 0 ? (
          <EmptyState title="No alert channels yet">{isAdmin ? "Add an e-mail list, a Slack webhook or a webhook of your own." : "An admin can add one."}</EmptyState>
        ) : (
          <Table aria-label="Alert channels">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Kind</TableHeaderCell>
                <TableHeaderCell>Goes to</TableHeaderCell>
                <TableHeaderCell>Last test</TableHeaderCell>
                {isAdmin ? <TableHeaderCell className="text-right">Actions</TableHeaderCell> : null}
              </TableRow>
            </TableHead>
            <TableBody>
              {channels.data.map((c) => (
                <TableRow key={c.id} data-channel={c.name}>
                  <TableCell className="font-medium text-gray-900">{c.name}</TableCell>
                  <TableCell>
                    <Badge color="slate">{KIND_LABEL[c.kind]}</Badge>
                  </TableCell>
                  <TableCell>
                    <span className="block max-w-xs truncate" title={destination(c)}>
                      {destination(c)}
                    </span>
                  </TableCell>
                  <TableCell>
                    {c.lastTestAt === null ? (
                      <span className="text-gray-400">never</span>
                    ) : c.lastTestError ? (
                      <span className="block max-w-xs whitespace-normal text-sm text-red-600" data-testid="last-test-error">
                        failed <RelativeTime date={c.lastTestAt} />: {c.lastTestError}
                      </span>
                    ) : (
                      <span className="text-emerald-700">
                        delivered <RelativeTime date={c.lastTestAt} />
                      </span>
                    )}
                  </TableCell>
                  {isAdmin ? (
                    <TableCell className="space-x-2 text-right">
                      <Button size="xs" variant="secondary" loading={test.isPending && test.variables?.channelId === c.id} disabled={test.isPending} onClick={() => test.mutate({ orgId: org.id, channelId: c.id })}>
                        Send test
                      </Button>
                      <Button size="xs" variant="secondary" onClick={() => setEditing(c)}>
                        Edit
                      </Button>
                      <ConfirmButton label="Delete" title={`Delete ${c.name}?`} confirmLabel="Delete channel" onConfirm={() => remove.mutateAsync({ orgId: org.id, channelId: c.id })}>
                        Monitors that use this channel stop sending to it.
                      </ConfirmButton>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>
      {isAdmin ? (
        <Section title="SMTP server" description="E-mail channels send through this server. The password is stored encrypted (CAIRN_SECRET_KEY) and never shown again.">
          <SmtpForm />
        </Section>
      ) : null}
    </div>
  );
}
