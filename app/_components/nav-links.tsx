"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavItem {
  label: string;
  href: string;
  /** Extra paths under which this item counts as current. */
  match?: (pathname: string) => boolean;
  disabled?: boolean;
}

const isCurrent = (item: NavItem, pathname: string) => (item.match ? item.match(pathname) : pathname === item.href);

/** Vertical (sidebar) or horizontal (tabs) navigation; disabled items are shown but not links. */
export function NavLinks({ items, label, orientation = "vertical" }: { items: NavItem[]; label: string; orientation?: "vertical" | "horizontal" }) {
  const pathname = usePathname();
  const vertical = orientation === "vertical";
  return (
    <nav aria-label={label}>
      <ul className={vertical ? "space-y-0.5" : "-mb-px flex gap-x-0.5 overflow-x-auto"}>
        {items.map((item) => {
          if (item.disabled) {
            return (
              <li key={item.label}>
                <span
                  aria-disabled="true"
                  title="Coming soon"
                  className={`flex cursor-not-allowed items-center gap-1.5 whitespace-nowrap py-2 text-sm text-gray-400 ${vertical ? "rounded-md px-3" : "border-b-2 border-transparent px-2.5"}`}
                >
                  {item.label}
                  <span className="rounded bg-gray-100 px-1 py-px text-[9px] font-medium uppercase tracking-wide text-gray-400">soon</span>
                </span>
              </li>
            );
          }
          const current = isCurrent(item, pathname);
          const style = vertical
            ? current
              ? "rounded-md bg-blue-50 font-medium text-blue-700"
              : "rounded-md text-gray-700 hover:bg-gray-100"
            : current
              ? "border-b-2 border-blue-600 font-medium text-blue-700"
              : "border-b-2 border-transparent text-gray-600 hover:border-gray-300 hover:text-gray-900";
          return (
            <li key={item.label}>
              <Link href={item.href} aria-current={current ? "page" : undefined} className={`block whitespace-nowrap py-2 text-sm ${vertical ? "px-3" : "px-2.5"} ${style}`}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
