"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { useState, type FormEvent } from "react";
import { Field } from "../../_components/field";
import { TextInput } from "../../_components/inputs";
import { PageHeader } from "../../_components/page-header";
import { DateTime, RelativeTime } from "../../_components/relative-time";
import { ErrorState, FormError, LoadingRows, Section } from "../../_components/states";
import { fieldErrors } from "../../_lib/errors";
import { refreshAfterWrite } from "../../_lib/refresh";
import { useTRPC } from "../../_lib/trpc";

/** Your own account: password and the browsers you are signed in on. */
export function AccountPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const account = useQuery(trpc.account.get.queryOptions());
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const refresh = () => refreshAfterWrite(queryClient, trpc.account.get.queryKey());
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: async () => {
        setCurrent("");
        setNext("");
        setRepeat("");
        await refresh();
      },
    }),
  );
  const others = useMutation(trpc.account.signOutOthers.mutationOptions({ onSuccess: refresh }));
  const errors = fieldErrors(change.error);
  // The service names the field its message is about ("currentPassword: …").
  const serverMessage = change.error?.message ?? "";
  const currentError = errors.currentPassword ?? (serverMessage.startsWith("currentPassword:") ? serverMessage.slice(17).trim() : undefined);
  const nextError = errors.newPassword ?? (serverMessage.startsWith("newPassword:") ? serverMessage.slice(13).trim() : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(next !== repeat);
    if (next !== repeat) return;
    change.mutate({ currentPassword: current, newPassword: next });
  };

  if (account.isPending) return <LoadingRows rows={4} label="Loading your account" />;
  if (account.error) return <ErrorState error={account.error} onRetry={() => void account.refetch()} />;
  const a = account.data;
  const otherCount = a.sessions.filter((s) => !s.current).length;
  return (
    <div className="space-y-6">
      <PageHeader title="Account" description={`${a.name} · ${a.email} · member since ${a.createdAt.toLocaleDateString("en", { year: "numeric", month: "short", day: "numeric" })}`} />
      <Section title="Password" description="Changing it signs you out everywhere else: whoever knew the old one may be signed in somewhere.">
        <form onSubmit={submit} className="max-w-md space-y-4" aria-label="Change password">
          <Field label="Current password" htmlFor="current-password" error={currentError}>
            <TextInput id="current-password" type="password" autoComplete="current-password" value={current} onValueChange={setCurrent} error={!!currentError} required />
          </Field>
          <Field label="New password" htmlFor="new-password" hint="At least 10 characters." error={nextError}>
            <TextInput id="new-password" type="password" autoComplete="new-password" value={next} onValueChange={setNext} error={!!nextError} required />
          </Field>
          <Field label="New password again" htmlFor="repeat-password" error={mismatch ? "The two new passwords differ" : undefined}>
            <TextInput id="repeat-password" type="password" autoComplete="new-password" value={repeat} onValueChange={setRepeat} error={mismatch} required />
          </Field>
          {currentError || nextError ? null : <FormError error={change.error} />}
          <div className="flex items-center gap-3">
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
            {change.isSuccess ? (
              <span className="text-sm text-emerald-600" role="status">
                Password changed{change.data.revokedSessions ? `; ${change.data.revokedSessions} other session${change.data.revokedSessions === 1 ? "" : "s"} signed out` : ""}.
              </span>
            ) : null}
          </div>
        </form>
      </Section>
      <Section
        title="Sessions"
        description="The browsers signed in to your account. Sessions unused for 30 days end by themselves."
        actions={
          <Button variant="secondary" size="xs" disabled={otherCount === 0} loading={others.isPending} onClick={() => others.mutate()}>
            Sign out other sessions
          </Button>
        }
      >
        <FormError error={others.error} />
        <Table aria-label="Sessions">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Signed in</TableHeaderCell>
              <TableHeaderCell>Last active</TableHeaderCell>
              <TableHeaderCell>Address</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {a.sessions.map((s) => (
              <TableRow key={s.id} data-session={s.current ? "current" : "other"}>
                <TableCell>
                  <DateTime date={s.createdAt} />
                </TableCell>
                <TableCell>
                  <RelativeTime date={s.lastSeenAt} />
                </TableCell>
                <TableCell className="font-mono text-xs">{s.ip ?? "—"}</TableCell>
                <TableCell className="text-right text-xs text-gray-500">{s.current ? "this browser" : ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>
    </div>
  );
}
