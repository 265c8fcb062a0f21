"use client";

import { Button } from "@tremor/react";
import { useState } from "react";

/** The one moment a token's secret is visible: the server keeps only its hash. */
export function SecretBox({ name, secret, onDismiss }: { name: string; secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div role="region" aria-label="New token secret" className="rounded-lg border-2 border-amber-300 bg-amber-50 p-5">
      <p className="font-semibold text-amber-900">Copy the secret of “{name}” now</p>
      <p className="mt-1 text-sm text-amber-800">This is the only time it is shown. Cairn stores only a hash, so it cannot be displayed again.</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-testid="token-secret" className="min-w-0 flex-1 select-all break-all rounded-md border border-amber-200 bg-white px-3 py-2 font-mono text-sm text-gray-900">
          {secret}
        </code>
        <Button variant="secondary" color="amber" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
        <Button variant="light" color="gray" onClick={onDismiss}>
          I have saved it
        </Button>
      </div>
      {copied === "failed" ? <p className="mt-2 text-xs text-amber-800">The browser did not allow copying; select the text and copy it by hand.</p> : null}
    </div>
  );
}
