import { redirect } from "next/navigation";
import { loadOrFail } from "./_lib/server-page";

export const dynamic = "force-dynamic";

/** Sends a visitor to their first organisation, to their invitations when they belong to none, or to sign-in (loadOrFail redirects a visitor without a session). */
export default async function Home() {
  const orgs = await loadOrFail((caller) => caller.org.list());
  redirect(orgs[0] ? `/${orgs[0].slug}` : "/invite");
}
