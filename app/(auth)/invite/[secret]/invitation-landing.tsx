"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { FormError } from "../../../_components/states";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";

type Preview = RouterOutputs["invitation"]["preview"];

export function InvitationLanding({ secret, preview, signedInAs }: { secret: string; preview: Preview; signedInAs: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: (joined) => {
        router.push(`/${joined.orgSlug}`);
        router.refresh();
      },
    }),
  );
  const signUpHref = `/sign-up?${new URLSearchParams({ invitation: secret, email: preview.email })}`;
  const signInHref = `/sign-in?${new URLSearchParams({ next: `/invite/${secret}` })}`;

  return (
    <div className="space-y-5" aria-label="Invitation">
      <div>
        <h1 className="text-xl font-semibold text-gray-900">Join {preview.orgName}</h1>
        <p className="mt-1 text-sm text-gray-500">
          {preview.invitedBy} invited {preview.email} to join as {preview.role.toLowerCase()}.
        </p>
      </div>
      {signedInAs ? (
        <>
          <p className="text-sm text-gray-600">
            You are signed in as <span className="font-medium text-gray-900">{signedInAs}</span>; accepting adds this account.
          </p>
          <FormError error={accept.error} />
          <Button className="w-full" loading={accept.isPending || accept.isSuccess} onClick={() => accept.mutate({ secret })}>
            Accept and join {preview.orgName}
          </Button>
        </>
      ) : (
        <div className="space-y-3">
          <Link href={signUpHref} className="block w-full rounded-md bg-blue-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-blue-700">
            Create an account and join
          </Link>
          <p className="text-center text-sm text-gray-500">
            Already have an account?{" "}
            <Link href={signInHref} className="font-medium text-blue-600 hover:underline">
              Sign in to accept
            </Link>
          </p>
        </div>
      )}
    </div>
  );
}
