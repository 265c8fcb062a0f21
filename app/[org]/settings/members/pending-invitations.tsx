"use client";

import { useMutation } from "@tanstack/react-query";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { RoleBadge } from "../../../_components/badges";
import { ConfirmButton } from "../../../_components/confirm-button";
import { useOrg } from "../../../_components/org-context";
import { DateTime } from "../../../_components/relative-time";
import { EmptyState, Section } from "../../../_components/states";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";

type Invitation = RouterOutputs["member"]["list"]["invitations"][number];

export function PendingInvitations({ invitations, canCancel, onChanged }: { invitations: Invitation[]; canCancel: boolean; onChanged: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const cancel = useMutation(trpc.member.cancelInvitation.mutationOptions({ onSuccess: onChanged }));

  return (
    <Section title="Pending invitations" description="Invitation links not yet used. Only admins and owners see this list.">
      {invitations.length === 0 ? (
        <EmptyState title="No pending invitations" />
      ) : (
        <Table aria-label="Pending invitations">
          <TableHead>
            <TableRow>
              <TableHeaderCell>E-mail</TableHeaderCell>
              <TableHeaderCell>Role</TableHeaderCell>
              <TableHeaderCell>Invited by</TableHeaderCell>
              <TableHeaderCell>Sent</TableHeaderCell>
              <TableHeaderCell className="text-right">Actions</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {invitations.map((inv) => (
              <TableRow key={inv.id} data-invitation={inv.email}>
                <TableCell className="font-medium text-gray-900">{inv.email}</TableCell>
                <TableCell>
                  <RoleBadge role={inv.role} />
                </TableCell>
                <TableCell>{inv.invitedBy}</TableCell>
                <TableCell>
                  <DateTime date={inv.createdAt} />
                </TableCell>
                <TableCell className="text-right">
                  {canCancel ? (
                    <ConfirmButton
                      label="Cancel invitation"
                      title="Cancel this invitation?"
                      onConfirm={() => cancel.mutateAsync({ orgId: org.id, invitationId: inv.id })}
                    >
                      The invitation link sent to {inv.email} will stop working.
                    </ConfirmButton>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}
