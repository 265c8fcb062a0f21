"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks, type NavItem } from "./nav-links";
import { useOrg } from "./org-context";
import { OrgSwitcher } from "./org-switcher";
import { UserMenu } from "./user-menu";

const ORG_SECTIONS = ["workers", "settings"];

/** Header with organisation switcher and user menu, and the organisation's sidebar. */
export function OrgShell({ children }: { children: ReactNode }) {
  const { org } = useOrg();
  const base = `/${org.slug}`;
  const items: NavItem[] = [
    {
      label: "Projects",
      href: base,
      match: (p) => p === base || (p.startsWith(`${base}/`) && !ORG_SECTIONS.includes(p.split("/")[2] ?? "")),
    },
    { label: "Workers", href: `${base}/workers` },
    { label: "Members", href: `${base}/settings/members` },
    { label: "API tokens", href: `${base}/settings/tokens` },
    { label: "Alerts", href: `${base}/settings/alerts` },
    { label: "Audit log", href: `${base}/settings/audit` },
    { label: "Settings", href: `${base}/settings` },
  ];

  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-30 border-b border-gray-200 bg-white">
        <div className="flex h-14 items-center gap-3 px-4 sm:px-6">
          <Link href={base} className="flex items-center gap-2 font-semibold text-gray-900">
            <CairnMark />
            Cairn
          </Link>
          <span className="text-gray-300" aria-hidden>
            /
          </span>
          <OrgSwitcher />
          <div className="ml-auto">
            <UserMenu />
          </div>
        </div>
      </header>
      <div className="flex">
        <aside className="hidden w-56 shrink-0 border-r border-gray-200 bg-white px-3 py-6 md:block md:min-h-[calc(100vh-3.5rem)]">
          <NavLinks items={items} label="Organisation" />
        </aside>
        <main className="min-w-0 flex-1 px-4 py-8 sm:px-8">
          <div className="mx-auto max-w-6xl">
            <div className="mb-6 border-b border-gray-200 md:hidden">
              <NavLinks items={items} label="Organisation sections" orientation="horizontal" />
            </div>
            {children}
          </div>
        </main>
      </div>
    </div>
  );
}

export function CairnMark() {
  return (
    <svg viewBox="0 0 24 24" className="h-6 w-6" aria-hidden>
      <ellipse cx="12" cy="19" rx="8" ry="3" className="fill-slate-500" />
      <ellipse cx="12" cy="13.5" rx="6" ry="2.6" className="fill-slate-400" />
      <ellipse cx="12" cy="8.5" rx="4" ry="2.2" className="fill-blue-500" />
      <ellipse cx="12" cy="4.5" rx="2.2" ry="1.6" className="fill-blue-300" />
    </svg>
  );
}
