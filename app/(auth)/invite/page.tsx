import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth/next-auth";
import { MyInvitations } from "./my-invitations";

export const metadata: Metadata = { title: "Your invitations" };
export const dynamic = "force-dynamic";

export default async function Page() {
  if (!(await currentUser())) redirect("/sign-in?next=/invite");
  return <MyInvitations />;
}
