"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorState, LoadingRows } from "../../../../_components/states";
import { formatBytes } from "../../../../_lib/format";
import type { RunDetail } from "../_components/types";
import { parseDelimited } from "./csv";

type Artifact = RunDetail["artifacts"][number];
type Kind = "image" | "json" | "csv" | "tsv" | "text" | "other";

const CSV_ROWS = 200;
/** How much of a file a preview reads: enough for its purpose, never a whole large download. */
const READ_LIMIT: Record<"json" | "csv" | "tsv" | "text", number> = { json: 2 * 1024 ** 2, csv: 512 * 1024, tsv: 512 * 1024, text: 256 * 1024 };

export const artifactUrl = (projectId: string, runId: string, path: string) =>
  `/api/v1/projects/${encodeURIComponent(projectId)}/runs/${encodeURIComponent(runId)}/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`;

function kindOf(a: Artifact): Kind {
  const type = a.contentType.toLowerCase();
  if (type.startsWith("image/")) return "image";
  if (type === "application/json" || a.path.endsWith(".json")) return "json";
  if (type === "text/csv") return "csv";
  if (type === "text/tab-separated-values") return "tsv";
  // HTML is served sandboxed and would show as markup here; it stays a download.
  if (type.startsWith("text/") && type !== "text/html") return "text";
  return "other";
}

/** Reads at most `limit` bytes of the artifact, stopping the download there. */
async function readPrefix(url: string, limit: number): Promise<{ text: string; complete: boolean }> {
  const res = await fetch(url);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The artifact could not be read (HTTP ${res.status})`);
  }
  if (!res.body) return { text: await res.text(), complete: true };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), complete: true };
    read += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (read >= limit) {
      await reader.cancel();
      return { text, complete: false };
    }
  }
}

export function ArtifactViewer({ artifact, url }: { artifact: Artifact; url: string }) {
  const kind = kindOf(artifact);
  return (
    <div className="min-w-0 space-y-2" data-artifact-viewer={artifact.path}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="min-w-0 truncate font-mono text-sm text-gray-900" title={artifact.path}>
          {artifact.path}
        </p>
        <p className="text-xs text-gray-500">
          {artifact.contentType} · {formatBytes(artifact.sizeBytes)} ·{" "}
          <a href={url} download={artifact.path.split("/").at(-1)} className="text-blue-700 hover:underline">
            Download
          </a>
        </p>
      </div>
      {kind === "image" ? (
        // eslint-disable-next-line @next/next/no-img-element -- a private, session-authenticated artifact: Next's image optimiser cannot fetch it
        <img src={url} alt={artifact.path} className="max-h-[28rem] max-w-full rounded-md border border-gray-200 bg-[repeating-conic-gradient(#f3f4f6_0_25%,#fff_0_50%)] bg-[length:16px_16px] object-contain" />
      ) : kind === "other" ? (
        <p className="rounded-md bg-gray-50 p-4 text-sm text-gray-600">No preview for this type; download it to open it.</p>
      ) : (
        <TextPreview url={url} kind={kind} />
      )}
    </div>
  );
}

function TextPreview({ url, kind }: { url: string; kind: "json" | "csv" | "tsv" | "text" }) {
  const content = useQuery({ queryKey: ["artifact", url, kind], queryFn: () => readPrefix(url, READ_LIMIT[kind]), staleTime: 60_000 });
  if (content.isPending) return <LoadingRows rows={4} label="Loading artifact" />;
  if (content.error) return <ErrorState error={content.error} onRetry={() => void content.refetch()} title="Could not show this artifact" />;
  const { text, complete } = content.data;
  const pre = "max-h-[28rem] overflow-auto rounded-md bg-gray-50 p-3 font-mono text-xs text-gray-800";
  if (kind === "json") {
    if (!complete) return <p className="rounded-md bg-gray-50 p-4 text-sm text-gray-600">Too large to preview; download it instead.</p>;
    return (
      <pre className={pre} data-preview="json">
        {prettyJson(text)}
      </pre>
    );
  }
  if (kind === "text") {
    return (
      <pre className={`${pre} whitespace-pre-wrap`} data-preview="text">
        {text}
        {complete ? "" : "\n…"}
      </pre>
    );
  }
  const rows = parseDelimited(text, CSV_ROWS + 1, complete, kind === "tsv" ? "\t" : ",");
  const [head = [], ...body] = rows;
  return (
    <div className="max-h-[28rem] overflow-auto rounded-md border border-gray-200" data-preview="csv">
      <table className="min-w-full text-xs">
        <thead className="sticky top-0 bg-gray-50">
          <tr>
            {head.map((h, i) => (
              <th key={i} className="whitespace-nowrap border-b border-gray-200 px-2 py-1 text-left font-medium text-gray-700">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((r, i) => (
            <tr key={i} className="border-b border-gray-100">
              {r.map((cell, j) => (
                <td key={j} className="whitespace-nowrap px-2 py-1 tabular-nums text-gray-800">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {body.length >= CSV_ROWS || !complete ? <p className="px-2 py-1 text-xs text-gray-500">First {body.length} rows shown.</p> : null}
    </div>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
