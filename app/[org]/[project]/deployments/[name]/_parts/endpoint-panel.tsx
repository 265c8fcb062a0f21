"use client";

import { Button } from "@tremor/react";
import { useState } from "react";
import { Section } from "../../../../../_components/states";
import { inferUrl } from "../../_components/paths";
import type { VersionRow } from "../../_components/use-versions";
import { curlExample, exampleInstance } from "./curl-example";

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="xs"
      variant="secondary"
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 2_000);
        });
      }}
    >
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

/** Where the deployment answers and a request that works as it is, with one row of the stable version's features. */
export function EndpointPanel({ name, serveUrl, stable }: { name: string; serveUrl: string; stable: VersionRow | undefined }) {
  const url = inferUrl(serveUrl, name);
  const curl = curlExample(url, stable ? exampleInstance(stable.encoding, stable.signature.inputs) : {});
  return (
    <Section title="Endpoint" description="Open Inference Protocol v2; the same URL takes rows as {&quot;instances&quot;:[…]}. Every answer names the version that gave it (x-cairn-model-version).">
      <div className="flex items-center gap-2">
        <code className="min-w-0 flex-1 truncate rounded-md bg-gray-50 px-3 py-2 font-mono text-sm text-gray-900" data-endpoint-url>
          {url}
        </code>
        <CopyButton text={url} label="Copy endpoint URL" />
      </div>
      <div className="space-y-2">
        <div className="flex items-center justify-between gap-2">
          <p className="text-sm text-gray-600">
            With an API token of this project in <code className="font-mono text-xs">$CAIRN_TOKEN</code> (API tokens, in the organisation&apos;s menu; a “Serving only” token is enough and works nowhere else):
          </p>
          <CopyButton text={curl} label="Copy curl example" />
        </div>
        <pre className="overflow-x-auto rounded-md bg-gray-900 p-3 font-mono text-xs leading-5 text-gray-100" data-curl-example>
          {curl}
        </pre>
        {stable && !stable.encoding ? <p className="text-xs text-gray-500">This version&apos;s file carries no encoding spec: the example lists the graph&apos;s inputs with placeholder values.</p> : null}
      </div>
    </Section>
  );
}
