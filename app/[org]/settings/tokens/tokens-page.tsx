"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Callout, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { useState } from "react";
import { RoleBadge, StateBadge } from "../../../_components/badges";
import { ConfirmButton } from "../../../_components/confirm-button";
import { useOrg } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { DateTime, RelativeTime } from "../../../_components/relative-time";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../_components/states";
import { useTRPC } from "../../../_lib/trpc";
import { CreateTokenForm } from "./create-token-form";
import { SecretBox } from "./secret-box";
import { refreshAfterWrite } from "../../../_lib/refresh";

export function TokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const isAdmin = can("ADMIN");
  const tokens = useQuery(trpc.token.list.queryOptions({ orgId: org.id, includeRevoked: true }, { enabled: isAdmin }));
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const refresh = () => refreshAfterWrite(queryClient, trpc.token.list.queryKey());
  const revoke = useMutation(trpc.token.revoke.mutationOptions({ onSuccess: refresh }));

  return (
    <div className="space-y-6">
      <PageHeader
        title="API tokens"
        description="Tokens let CI systems and training scripts call Cairn's API. Send them as Authorization: Bearer <token>."
        actions={isAdmin && !creating ? <Button onClick={() => setCreating(true)}>New token</Button> : null}
      />
      {!isAdmin ? (
        <Callout title="Admins only" color="slate">
          Your role ({org.role.toLowerCase()}) cannot see or create API tokens. Ask an admin or owner of {org.name}.
        </Callout>
      ) : (
        <>
          {secret ? <SecretBox name={secret.name} secret={secret.secret} onDismiss={() => setSecret(null)} /> : null}
          {creating ? (
            <CreateTokenForm
              onCancel={() => setCreating(false)}
              onCreated={async (created) => {
                setCreating(false);
                setSecret({ name: created.token.name, secret: created.secret });
                await refresh();
              }}
            />
          ) : null}
          <Section title="Tokens" description="Only a hash of each secret is stored; a lost secret cannot be recovered, only revoked and replaced.">
            {tokens.isPending ? (
              <LoadingRows label="Loading tokens" />
            ) : tokens.error ? (
              <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
            ) : tokens.data.length === 0 ? (
              <EmptyState title="No API tokens yet">Create one for each CI system or script, with the least role it needs.</EmptyState>
            ) : (
              <Table aria-label="API tokens">
                <TableHead>
                  <TableRow>
                    <TableHeaderCell>Name / prefix</TableHeaderCell>
                    <TableHeaderCell>Role</TableHeaderCell>
                    <TableHeaderCell>Project</TableHeaderCell>
                    <TableHeaderCell>Created by</TableHeaderCell>
                    <TableHeaderCell>Last used / expires</TableHeaderCell>
                    <TableHeaderCell>State</TableHeaderCell>
                    <TableHeaderCell className="text-right">Actions</TableHeaderCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {tokens.data.map((t) => (
                    <TableRow key={t.id} data-token={t.name}>
                      <TableCell>
                        <span className="block font-medium text-gray-900">{t.name}</span>
                        <span className="font-mono text-xs text-gray-400">{t.prefix}…</span>
                      </TableCell>
                      <TableCell>
                        <RoleBadge role={t.role} />
                        {t.scope === "predict" && <span className="mt-1 block text-xs text-gray-500">serving only{t.deploymentId ? " · one deployment" : ""}</span>}
                      </TableCell>
                      <TableCell>{t.projectSlug ? <span className="font-mono text-xs">{t.projectSlug}</span> : <span className="text-gray-400">all projects</span>}</TableCell>
                      <TableCell>
                        <span className="block max-w-[11rem] truncate" title={t.createdBy ?? undefined}>
                          {t.createdBy ?? <span className="text-gray-400">—</span>}
                        </span>
                      </TableCell>
                      <TableCell>
                        <span className="block">{t.lastUsedAt ? <RelativeTime date={t.lastUsedAt} /> : <span className="text-gray-400">never used</span>}</span>
                        <span className="text-xs text-gray-400">{t.expiresAt ? <>expires <DateTime date={t.expiresAt} dateOnly /></> : "no expiry"}</span>
                      </TableCell>
                      <TableCell>
                        <StateBadge state={t.state} />
                      </TableCell>
                      <TableCell className="text-right">
                        {t.state === "active" ? (
                          <ConfirmButton
                            label="Revoke"
                            title={`Revoke ${t.name}?`}
                            confirmLabel="Revoke token"
                            onConfirm={() => revoke.mutateAsync({ orgId: org.id, tokenId: t.id })}
                          >
                            Every request with this token fails from now on. Scripts that use it need a new token.
                          </ConfirmButton>
                        ) : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Section>
        </>
      )}
    </div>
  );
}
