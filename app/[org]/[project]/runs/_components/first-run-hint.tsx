"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/** The shortest path from nothing to a logged run: the standard-library Python client and an API token. */
export function FirstRunHint({ orgSlug, projectSlug }: { orgSlug: string; projectSlug: string }) {
  const origin = useSyncExternalStore(noSubscribe, () => window.location.origin, () => "http://localhost:3000");
  const script = [
    `curl -O ${origin}/clients/cairn_tracking.py`,
    `export CAIRN_API_URL=${origin} CAIRN_TOKEN=<token> CAIRN_PROJECT=${orgSlug}/${projectSlug}`,
    `python3 -c "import cairn_tracking as c; r = c.start_run(); r.log_metrics({'loss': 0.5}); r.finish()"`,
  ].join("\n");
  return (
    <div className="mt-2 text-left">
      <p className="text-sm text-gray-600">
        Log your first run from a training script (create a token under{" "}
        <Link href={`/${orgSlug}/settings/tokens`} className="text-blue-700 hover:underline">
          API tokens
        </Link>
        ):
      </p>
      <pre className="mt-2 max-w-2xl whitespace-pre-wrap break-all rounded-md bg-gray-900 p-3 text-left text-xs leading-relaxed text-gray-100">{script}</pre>
    </div>
  );
}
