"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../_lib/trpc";
import { useOrg } from "./org-context";
import { Popover } from "./popover";

export function UserMenu() {
  const trpc = useTRPC();
  const { me, org } = useOrg();
  const [leaving, setLeaving] = useState(false);
  // Revokes every session on the server (other browsers included), then drops this browser's cookie.
  const everywhere = useMutation(trpc.auth.signOutEverywhere.mutationOptions({ onSuccess: () => signOut({ callbackUrl: "/sign-in" }) }));
  const busy = leaving || everywhere.isPending || everywhere.isSuccess;
  const initials = me.name
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? "")
    .join("");

  return (
    <Popover
      label="User menu"
      button={
        <span className="flex h-8 w-8 items-center justify-center rounded-full bg-blue-600 text-xs font-semibold text-white" aria-hidden>
          {initials || "?"}
        </span>
      }
    >
      {() => (
        <div>
          <div className="px-3 py-2">
            <p className="truncate text-sm font-medium text-gray-900">{me.name}</p>
            <p className="truncate text-xs text-gray-500">{me.email}</p>
          </div>
          <div className="my-1 border-t border-gray-100" />
          <Link href={`/${org.slug}/account`} role="menuitem" className="block w-full rounded-md px-3 py-2 text-left text-sm text-gray-700 hover:bg-gray-50">
            Account
          </Link>
          <button
            type="button"
            role="menuitem"
            disabled={busy}
            onClick={() => {
              setLeaving(true);
              void signOut({ callbackUrl: "/sign-in" });
            }}
            className="w-full rounded-md px-3 py-2 text-left text-sm text-gray-700 hover:bg-gray-50 disabled:opacity-50"
          >
            {leaving ? "Signing out…" : "Sign out"}
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={busy}
            title="Ends your sessions in every browser and device"
            onClick={() => everywhere.mutate()}
            className="w-full rounded-md px-3 py-2 text-left text-sm text-gray-700 hover:bg-gray-50 disabled:opacity-50"
          >
            {everywhere.isPending || everywhere.isSuccess ? "Signing out everywhere…" : "Sign out everywhere"}
          </button>
          {everywhere.error ? <p className="px-3 py-1 text-xs text-rose-600">{everywhere.error.message}</p> : null}
        </div>
      )}
    </Popover>
  );
}
