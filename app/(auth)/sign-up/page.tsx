import type { Metadata } from "next";
import Link from "next/link";
import { serverCaller } from "@/server/api/server-caller";
import { ZInvitationSecret } from "@/server/tenancy/schemas";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ invitation?: string | string[]; email?: string | string[] }> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function Page({ searchParams }: Props) {
  const params = await searchParams;
  const parsed = ZInvitationSecret.safeParse(first(params.invitation));
  const invitation = parsed.success ? parsed.data : undefined;
  if (!invitation && (await (await serverCaller()).auth.signUpPolicy()).mode === "invite-only") {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold text-gray-900">Sign-up is by invitation</h1>
        <p className="text-sm text-gray-600">
          Accounts on this installation are created through invitation links. Ask an administrator of your organisation to invite you, then open
          the link they send.
        </p>
        <Link href="/sign-in" className="text-sm font-medium text-blue-600 hover:underline">
          Sign in to an existing account
        </Link>
      </div>
    );
  }
  return <SignUpForm invitation={invitation} initialEmail={first(params.email) ?? ""} />;
}
