import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { MyInvitations } from "./my-invitations";
import { signedInUser } from "../../_lib/server-page";

export const metadata: Metadata = { title: "Your invitations" };
export const dynamic = "force-dynamic";

export default async function Page() {
  if (!(await signedInUser())) redirect("/sign-in?next=/invite");
  return <MyInvitations />;
}
