"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/** "auto" leaves the choice to the server: format from the file name, delimiter and encoding sniffed. */
export interface UploadOptions {
  format: "auto" | "csv" | "jsonl" | "parquet";
  delimiter: string;
  encoding: string;
  /** Accept columns that differ from the latest version's; the server refuses such a file otherwise. */
  allowSchemaChange: boolean;
}

export const AUTO_OPTIONS: UploadOptions = { format: "auto", delimiter: "auto", encoding: "auto", allowSchemaChange: false };

export type UploadState =
  | { phase: "idle" }
  | { phase: "uploading"; fileName: string; loaded: number; total: number }
  | { phase: "done"; fileName: string; total: number; versionId: string; number: number; created: boolean }
  | { phase: "failed"; fileName: string; message: string }
  | { phase: "cancelled"; fileName: string };

interface UploadAnswer {
  version?: { id: string; number: number };
  created?: boolean;
  error?: { code: string; message: string };
}

function parseAnswer(text: string): UploadAnswer | null {
  try {
    return JSON.parse(text) as UploadAnswer;
  } catch {
    return null;
  }
}

/**
 * Streams a file to the version upload endpoint with XMLHttpRequest, because fetch() reports no
 * upload progress. The session cookie authenticates it like any same-origin request.
 */
export function useUpload(args: { projectId: string; datasetId: string; onCreated: () => void }) {
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const { projectId, datasetId, onCreated } = args;

  // Leaving the page ends the upload: the server then discards the partial bytes.
  useEffect(() => () => xhrRef.current?.abort(), []);

  const start = useCallback(
    (file: File, options: UploadOptions) => {
      if (xhrRef.current) return;
      const query = new URLSearchParams({ fileName: file.name, create: "0" });
      for (const key of ["format", "delimiter", "encoding"] as const) if (options[key] !== "auto") query.set(key, options[key]);
      if (options.allowSchemaChange) query.set("allowSchemaChange", "1");
      const xhr = new XMLHttpRequest();
      xhrRef.current = xhr;
      const fileName = file.name;
      setState({ phase: "uploading", fileName, loaded: 0, total: file.size });
      xhr.upload.onprogress = (e) => {
        setState({ phase: "uploading", fileName, loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
      };
      xhr.onload = () => {
        xhrRef.current = null;
        const answer = parseAnswer(xhr.responseText);
        if ((xhr.status === 200 || xhr.status === 201) && answer?.version) {
          setState({ phase: "done", fileName, total: file.size, versionId: answer.version.id, number: answer.version.number, created: answer.created === true });
          onCreated();
          return;
        }
        const message = answer?.error?.message ?? `The server answered ${xhr.status} ${xhr.statusText}`.trim();
        setState({ phase: "failed", fileName, message });
      };
      xhr.onerror = () => {
        xhrRef.current = null;
        setState({ phase: "failed", fileName, message: "The upload was interrupted: the server could not be reached or closed the connection." });
      };
      xhr.onabort = () => {
        xhrRef.current = null;
        setState({ phase: "cancelled", fileName });
      };
      xhr.open("PUT", `/api/v1/projects/${encodeURIComponent(projectId)}/datasets/${encodeURIComponent(datasetId)}/versions?${query}`);
      xhr.setRequestHeader("content-type", "application/octet-stream");
      xhr.send(file);
    },
    [projectId, datasetId, onCreated],
  );

  const cancel = useCallback(() => xhrRef.current?.abort(), []);
  const reset = useCallback(() => setState({ phase: "idle" }), []);

  return { state, start, cancel, reset, busy: state.phase === "uploading" };
}
