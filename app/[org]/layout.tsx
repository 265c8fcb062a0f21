import type { ReactNode } from "react";
import { OrgProvider } from "../_components/org-context";
import { OrgShell } from "../_components/org-shell";
import { loadOrFail } from "../_lib/server-page";

export const dynamic = "force-dynamic";

type Props = { children: ReactNode; params: Promise<{ org: string }> };

/** Resolves the organisation from the URL once; pages read it from context. */
export default async function OrgLayout({ children, params }: Props) {
  const { org: orgSlug } = await params;
  const { org, me } = await loadOrFail(async (caller) => {
    const [org, me] = await Promise.all([caller.org.get({ orgSlug }), caller.auth.me()]);
    return { org, me };
  });
  const value = {
    org: { id: org.id, slug: org.slug, name: org.name, role: org.role },
    me: { id: me.id, name: me.label, email: me.email ?? "" },
  };
  return (
    <OrgProvider value={value}>
      <OrgShell>{children}</OrgShell>
    </OrgProvider>
  );
}
