"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Callout, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { TextInput } from "../../_components/inputs";
import { useState, type FormEvent } from "react";
import { StateBadge } from "../../_components/badges";
import { ConfirmButton } from "../../_components/confirm-button";
import { useOrg } from "../../_components/org-context";
import { RelativeTime } from "../../_components/relative-time";
import { EmptyState, ErrorState, FormError, LoadingRows, Section } from "../../_components/states";
import { refreshAfterWrite } from "../../_lib/refresh";
import { useTRPC } from "../../_lib/trpc";
import { SecretBox } from "../settings/tokens/secret-box";

/** Where the organisation's training commands run, its worker tokens (ADMIN) and, for installation admins, every organisation's permission. */
export function PoolPanel() {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const pool = useQuery(trpc.worker.pool.queryOptions({ orgId: org.id }));
  return (
    <Section
      title="Training commands"
      description="Commands are code written by your project admins. They run in a sandbox, on the shared workers only where an installation admin allowed it, otherwise on your organisation's own workers."
    >
      {pool.data ? (
        <Callout title={pool.data.sharedCommandsAllowed ? "Commands run on the shared workers" : "Commands run on your organisation's own workers"} color={pool.data.sharedCommandsAllowed ? "emerald" : "amber"} role="status" data-pool={pool.data.sharedCommandsAllowed ? "shared" : "own"}>
          {pool.data.sharedCommandsAllowed
            ? "The installation's shared workers run this organisation's training commands. Workers started with a worker token below serve only this organisation."
            : "The installation's shared workers do not run this organisation's training commands: start a worker with one of the organisation's worker tokens (CAIRN_WORKER_TOKEN=… npm run start:worker). Built-in trainers still run on the shared workers."}
        </Callout>
      ) : null}
      <div className="mt-4 space-y-6">
        {can("ADMIN") ? <WorkerTokens /> : null}
        {pool.data?.installationAdmin ? <InstallationPools /> : null}
      </div>
    </Section>
  );
}

function WorkerTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org } = useOrg();
  const tokens = useQuery(trpc.worker.tokens.queryOptions({ orgId: org.id }));
  const refresh = () => refreshAfterWrite(queryClient, trpc.worker.tokens.queryKey());
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation(trpc.worker.createToken.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.worker.revokeToken.mutationOptions({ onSuccess: refresh }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await create.mutateAsync({ orgId: org.id, name });
    setSecret({ name: created.token.name, secret: created.secret });
    setName("");
  };
  return (
    <div className="space-y-3">
      <h3 className="font-semibold text-gray-900">Worker tokens</h3>
      {secret ? <SecretBox name={secret.name} secret={secret.secret} onDismiss={() => setSecret(null)} /> : null}
      <form onSubmit={(e) => void submit(e).catch(() => undefined)} className="flex flex-wrap items-end gap-2" aria-label="New worker token">
        <label className="text-sm text-gray-700">
          Name
          <TextInput value={name} onValueChange={setName} placeholder="gpu-box-1" className="mt-1 w-60" />
        </label>
        <Button type="submit" disabled={!name.trim()} loading={create.isPending}>
          New worker token
        </Button>
      </form>
      <FormError error={create.error} />
      {tokens.isPending ? (
        <LoadingRows rows={2} label="Loading worker tokens" />
      ) : tokens.error ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No worker tokens yet">A worker started with a token serves this organisation&apos;s commands only.</EmptyState>
      ) : (
        <Table aria-label="Worker tokens">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Name / prefix</TableHeaderCell>
              <TableHeaderCell>Last used</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
              <TableHeaderCell className="text-right">Actions</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {tokens.data.map((t) => (
              <TableRow key={t.id} data-worker-token={t.name}>
                <TableCell>
                  <span className="block font-medium text-gray-900">{t.name}</span>
                  <span className="font-mono text-xs text-gray-400">{t.prefix}…</span>
                </TableCell>
                <TableCell>{t.lastUsedAt ? <RelativeTime date={t.lastUsedAt} /> : <span className="text-gray-400">never used</span>}</TableCell>
                <TableCell>
                  <StateBadge state={t.revokedAt ? "revoked" : "active"} />
                </TableCell>
                <TableCell className="text-right">
                  {t.revokedAt ? null : (
                    <ConfirmButton label="Revoke" title={`Revoke ${t.name}?`} confirmLabel="Revoke token" onConfirm={() => revoke.mutateAsync({ orgId: org.id, tokenId: t.id })}>
                      Workers started with this token stop at their next heartbeat.
                    </ConfirmButton>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function InstallationPools() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const orgs = useQuery(trpc.worker.orgPools.queryOptions());
  const set = useMutation(
    trpc.worker.setSharedCommands.mutationOptions({
      onSuccess: () => Promise.all([refreshAfterWrite(queryClient, trpc.worker.orgPools.queryKey()), refreshAfterWrite(queryClient, trpc.worker.pool.queryKey())]),
    }),
  );
  return (
    <div className="space-y-3">
      <h3 className="font-semibold text-gray-900">Installation: organisations whose commands the shared workers run</h3>
      <FormError error={set.error} />
      {orgs.data?.allByInstallation ? (
        <Callout title="CAIRN_SHARED_COMMANDS=all" color="amber">
          The shared workers run every organisation&apos;s commands while this installation setting is set; the choices below apply once it is unset.
        </Callout>
      ) : null}
      {orgs.isPending ? (
        <LoadingRows rows={2} label="Loading organisations" />
      ) : orgs.error ? (
        <ErrorState error={orgs.error} onRetry={() => void orgs.refetch()} />
      ) : (
        <Table aria-label="Shared workers by organisation">
          <TableBody>
            {orgs.data.orgs.map((o) => (
              <TableRow key={o.id} data-org-pool={o.slug}>
                <TableCell>
                  <span className="block font-medium text-gray-900">{o.name}</span>
                  <span className="font-mono text-xs text-gray-400">{o.slug}</span>
                </TableCell>
                <TableCell>{o.sharedCommandsAllowed ? "shared workers allowed" : "own workers only"}</TableCell>
                <TableCell className="text-right">
                  <Button size="xs" variant="secondary" loading={set.isPending && set.variables?.orgId === o.id} onClick={() => set.mutate({ orgId: o.id, allowed: !o.sharedCommandsAllowed })}>
                    {o.sharedCommandsAllowed ? "Withdraw" : "Allow"}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
