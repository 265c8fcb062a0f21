"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { RoleBadge } from "../../_components/badges";
import { ErrorState, FormError, LoadingRows } from "../../_components/states";
import { refreshAfterWrite } from "../../_lib/refresh";
import { useTRPC } from "../../_lib/trpc";

/** Invitations made for the signed-in account, to accept or decline. */
export function MyInvitations() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.invitation.listMine.queryOptions());
  const respond = useMutation(
    trpc.invitation.respond.mutationOptions({
      onSuccess: async (joined) => {
        await refreshAfterWrite(queryClient, trpc.invitation.listMine.queryKey());
        if (joined) {
          router.push(`/${joined.orgSlug}`);
          router.refresh();
        }
      },
    }),
  );

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold text-gray-900">Your invitations</h1>
        <p className="mt-1 text-sm text-gray-500">Organisations that invited your account. Nothing changes until you accept.</p>
      </div>
      <FormError error={respond.error} />
      {list.isPending ? (
        <LoadingRows label="Loading invitations" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <p className="text-sm text-gray-600">No pending invitations.</p>
      ) : (
        <ul className="divide-y divide-gray-100" aria-label="Invitations">
          {list.data.map((inv) => (
            <li key={inv.id} className="flex items-center justify-between gap-3 py-3" data-invitation={inv.orgName}>
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-gray-900">{inv.orgName}</p>
                <p className="truncate text-xs text-gray-500">from {inv.invitedBy}</p>
              </div>
              <div className="flex shrink-0 items-center gap-2">
                <RoleBadge role={inv.role} />
                <Button size="xs" disabled={respond.isPending} onClick={() => respond.mutate({ invitationId: inv.id, accept: true })}>
                  Accept
                </Button>
                <Button
                  size="xs"
                  variant="secondary"
                  color="gray"
                  disabled={respond.isPending}
                  onClick={() => respond.mutate({ invitationId: inv.id, accept: false })}
                >
                  Decline
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Link href="/" className="block text-sm font-medium text-blue-600 hover:underline">
        Back to Cairn
      </Link>
    </div>
  );
}
