import type { Metadata } from "next";
import Link from "next/link";
import { TRPCError } from "@trpc/server";
import { serverCaller } from "@/server/api/server-caller";
import { InvitationLanding } from "./invitation-landing";
import { signedInUser } from "../../../_lib/server-page";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ secret: string }> };

/** Where an invitation link leads: join as the signed-in user, or create an account through it. */
export default async function Page({ params }: Props) {
  const { secret } = await params;
  const caller = await serverCaller();
  const preview = await caller.invitation.preview({ secret }).catch((err: unknown) => {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) return null;
    throw err;
  });
  if (!preview) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold text-gray-900">This invitation link does not work</h1>
        <p className="text-sm text-gray-600">It was already used, cancelled, replaced by a newer invitation, or it expired. Ask for a new one.</p>
        <Link href="/" className="text-sm font-medium text-blue-600 hover:underline">
          Go to Cairn
        </Link>
      </div>
    );
  }
  const user = await signedInUser();
  return <InvitationLanding secret={secret} preview={preview} signedInAs={user?.email ?? null} />;
}
