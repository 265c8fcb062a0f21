"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Select, SelectItem, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ROLES, type Role } from "@/server/tenancy/schemas";
import { RoleBadge } from "../../../_components/badges";
import { ConfirmButton } from "../../../_components/confirm-button";
import { useOrg } from "../../../_components/org-context";
import { PageHeader } from "../../../_components/page-header";
import { DateTime } from "../../../_components/relative-time";
import { ErrorState, FormError, LoadingRows, Section } from "../../../_components/states";
import { useTRPC } from "../../../_lib/trpc";
import { InviteForm } from "./invite-form";
import { PendingInvitations } from "./pending-invitations";
import { refreshAfterWrite } from "../../../_lib/refresh";

export function MembersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { org, me, can } = useOrg();
  const isAdmin = can("ADMIN");
  const list = useQuery(trpc.member.list.queryOptions({ orgId: org.id }));
  const refresh = () => refreshAfterWrite(queryClient, trpc.member.list.queryKey());
  const [roleError, setRoleError] = useState<unknown>(null);

  const setRole = useMutation(
    trpc.member.setRole.mutationOptions({
      onMutate: () => setRoleError(null),
      onError: (err) => setRoleError(err),
      onSettled: refresh,
    }),
  );
  const remove = useMutation(trpc.member.remove.mutationOptions());

  const removeMember = async (userId: string) => {
    await remove.mutateAsync({ orgId: org.id, userId });
    if (userId === me.id) {
      router.push("/");
      router.refresh();
      return;
    }
    await refresh();
  };

  return (
    <div className="space-y-6">
      <PageHeader title="Members" description="People in this organisation and what they may do." />
      {isAdmin ? <InviteForm onInvited={refresh} /> : null}
      <Section title="Members" description="Owners manage everything; admins manage members, tokens and projects; members run work; viewers read.">
        <FormError error={roleError} />
        {list.isPending ? (
          <LoadingRows label="Loading members" />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table aria-label="Members">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>E-mail</TableHeaderCell>
                <TableHeaderCell>Role</TableHeaderCell>
                <TableHeaderCell>Joined</TableHeaderCell>
                <TableHeaderCell className="text-right">Actions</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.data.members.map((m) => {
                const self = m.userId === me.id;
                return (
                  <TableRow key={m.userId} data-member={m.email}>
                    <TableCell className="font-medium text-gray-900">
                      {m.name}
                      {self ? <span className="ml-2 text-xs font-normal text-gray-400">(you)</span> : null}
                    </TableCell>
                    <TableCell>{m.email}</TableCell>
                    <TableCell>
                      {isAdmin ? (
                        <Select
                          aria-label={`Role of ${m.email}`}
                          className="w-36 min-w-0"
                          value={m.role}
                          disabled={setRole.isPending}
                          onValueChange={(role) => role && role !== m.role && setRole.mutate({ orgId: org.id, userId: m.userId, role: role as Role })}
                          data-testid={`role-${m.email}`}
                        >
                          {ROLES.map((r) => (
                            <SelectItem key={r} value={r}>
                              {r.charAt(0) + r.slice(1).toLowerCase()}
                            </SelectItem>
                          ))}
                        </Select>
                      ) : (
                        <RoleBadge role={m.role} />
                      )}
                    </TableCell>
                    <TableCell>
                      <DateTime date={m.joinedAt} dateOnly />
                    </TableCell>
                    <TableCell className="text-right">
                      {self ? (
                        <ConfirmButton label="Leave" title={`Leave ${org.name}?`} confirmLabel="Leave organisation" onConfirm={() => removeMember(m.userId)}>
                          You will lose access to this organisation and the API tokens you created in it will be revoked.
                        </ConfirmButton>
                      ) : isAdmin ? (
                        <ConfirmButton label="Remove" title={`Remove ${m.name}?`} confirmLabel="Remove member" onConfirm={() => removeMember(m.userId)}>
                          {m.email} will lose access to {org.name}, and the API tokens they created here will be revoked.
                        </ConfirmButton>
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </Section>
      {list.data && isAdmin ? <PendingInvitations invitations={list.data.invitations} canCancel={isAdmin} onChanged={refresh} /> : null}
    </div>
  );
}
