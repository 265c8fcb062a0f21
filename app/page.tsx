import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth/next-auth";
import { listOrgsForUser } from "@/server/tenancy/orgs";

export const dynamic = "force-dynamic";

/** Sends a visitor to their first organisation, to their invitations when they belong to none, or to sign-in. */
export default async function Home() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const orgs = await listOrgsForUser(user.userId);
  redirect(orgs[0] ? `/${orgs[0].slug}` : "/invite");
}
