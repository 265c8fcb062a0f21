"use client";

import { Button } from "@tremor/react";

/** Unexpected failures inside an organisation page; the server's message is shown as it is. */
export default function OrgError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 p-6">
      <h1 className="text-lg font-semibold text-rose-900">Something went wrong</h1>
      <p className="mt-1 text-sm text-rose-800">{error.message || "An unexpected error occurred."}</p>
      {error.digest ? <p className="mt-1 font-mono text-xs text-rose-700">Reference: {error.digest}</p> : null}
      <Button className="mt-4" color="rose" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
