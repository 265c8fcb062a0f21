"use client";

import { Button, ProgressBar, Select, SelectItem } from "@tremor/react";
import Link from "next/link";
import { useRef, useState, type DragEvent } from "react";
import { formatBytes } from "../../../../_lib/format";
import { useDataset } from "../_components/dataset-context";
import { AUTO_OPTIONS, useUpload, type UploadOptions, type UploadState } from "./use-upload";

const ACCEPT = ".csv,.tsv,.txt,.psv,.jsonl,.ndjson,.parquet,.pq";

/** Drop zone and file picker for a new version, with live progress, cancel and the server's verdict. */
export function UploadArea({ onCreated }: { onCreated: () => void }) {
  const dataset = useDataset();
  const upload = useUpload({ projectId: dataset.projectId, datasetId: dataset.id, onCreated });
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [options, setOptions] = useState<UploadOptions>(AUTO_OPTIONS);

  const take = (files: FileList | null) => {
    const file = files?.[0];
    if (file && !upload.busy) upload.start(file, options);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    take(e.dataTransfer.files);
  };

  return (
    <div className="space-y-3">
      <div
        role="region"
        aria-label="Upload a new version"
        data-dragging={dragging || undefined}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-6 py-8 text-center transition ${dragging ? "border-blue-500 bg-blue-50" : "border-gray-300 bg-gray-50/60"}`}
      >
        <p className="text-sm font-medium text-gray-900">Drop a CSV, JSON Lines or Parquet file here</p>
        <p className="text-xs text-gray-500">Each distinct file becomes a new immutable version; the same bytes again are recognised.</p>
        <div className="mt-1">
          <input
            ref={input}
            id="version-file"
            type="file"
            accept={ACCEPT}
            className="sr-only"
            aria-label="Choose a file to upload"
            onChange={(e) => {
              take(e.target.files);
              e.target.value = "";
            }}
          />
          <Button size="xs" variant="secondary" disabled={upload.busy} onClick={() => input.current?.click()}>
            Choose a file…
          </Button>
        </div>
      </div>
      <UploadOptionsRow value={options} onChange={setOptions} disabled={upload.busy} />
      <label className="flex items-center gap-2 text-sm text-gray-700">
        <input
          type="checkbox"
          className="h-4 w-4 rounded border-gray-300"
          checked={options.allowSchemaChange}
          disabled={upload.busy}
          onChange={(e) => setOptions({ ...options, allowSchemaChange: e.target.checked })}
        />
        Allow a schema change (columns added or removed since the latest version)
      </label>
      <UploadStatus state={upload.state} onCancel={upload.cancel} onDismiss={upload.reset} />
    </div>
  );
}

function UploadOptionsRow({ value, onChange, disabled }: { value: UploadOptions; onChange: (o: UploadOptions) => void; disabled: boolean }) {
  return (
    <div className="grid gap-3 sm:grid-cols-3" aria-label="Upload options">
      <Select value={value.format} onValueChange={(format) => onChange({ ...value, format: format as UploadOptions["format"] })} disabled={disabled} aria-label="Format" enableClear={false}>
        <SelectItem value="auto">Format: from file name</SelectItem>
        <SelectItem value="csv">CSV</SelectItem>
        <SelectItem value="jsonl">JSON Lines</SelectItem>
        <SelectItem value="parquet">Parquet</SelectItem>
      </Select>
      <Select value={value.delimiter} onValueChange={(delimiter) => onChange({ ...value, delimiter })} disabled={disabled} aria-label="Delimiter" enableClear={false}>
        <SelectItem value="auto">Delimiter: detect</SelectItem>
        <SelectItem value="comma">Comma ,</SelectItem>
        <SelectItem value="semicolon">Semicolon ;</SelectItem>
        <SelectItem value="tab">Tab</SelectItem>
        <SelectItem value="pipe">Pipe |</SelectItem>
      </Select>
      <Select value={value.encoding} onValueChange={(encoding) => onChange({ ...value, encoding })} disabled={disabled} aria-label="Encoding" enableClear={false}>
        <SelectItem value="auto">Encoding: detect</SelectItem>
        <SelectItem value="utf-8">UTF-8</SelectItem>
        <SelectItem value="utf-16le">UTF-16 LE</SelectItem>
        <SelectItem value="windows-1252">Windows-1252</SelectItem>
        <SelectItem value="latin1">Latin-1</SelectItem>
      </Select>
    </div>
  );
}

function UploadStatus({ state, onCancel, onDismiss }: { state: UploadState; onCancel: () => void; onDismiss: () => void }) {
  const { paths } = useDataset();
  if (state.phase === "idle") return null;
  const percent = state.phase === "uploading" ? (state.total > 0 ? Math.floor((state.loaded / state.total) * 100) : 0) : state.phase === "done" ? 100 : null;
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-4" data-upload-phase={state.phase} aria-live="polite">
      <div className="flex items-center justify-between gap-3">
        <p className="min-w-0 truncate text-sm font-medium text-gray-900">{state.fileName}</p>
        {state.phase === "uploading" ? (
          <Button size="xs" variant="secondary" color="rose" onClick={onCancel}>
            Cancel upload
          </Button>
        ) : (
          <Button size="xs" variant="light" color="gray" onClick={onDismiss}>
            Dismiss
          </Button>
        )}
      </div>
      {percent !== null ? (
        <div className="mt-2" role="progressbar" aria-label="Upload progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
          <ProgressBar value={percent} color={state.phase === "done" ? "emerald" : "blue"} />
        </div>
      ) : null}
      <p className="mt-2 text-sm text-gray-600">
        {state.phase === "uploading" ? (
          state.loaded >= state.total ? (
            "All bytes sent; the server is checking the file…"
          ) : (
            `${percent}% · ${formatBytes(state.loaded)} of ${formatBytes(state.total)}`
          )
        ) : state.phase === "done" ? (
          state.created ? (
            <>
              Uploaded as{" "}
              <Link className="font-medium text-blue-700 hover:underline" href={paths.version(state.versionId)}>
                version {state.number}
              </Link>
              ; profiling and validation follow in a few seconds.
            </>
          ) : (
            <>
              Uploaded again: identical to{" "}
              <Link className="font-medium text-blue-700 hover:underline" href={paths.version(state.versionId)}>
                version {state.number}
              </Link>
              . No new version was created.
            </>
          )
        ) : state.phase === "cancelled" ? (
          "Upload cancelled; nothing was stored."
        ) : null}
      </p>
      {state.phase === "failed" ? (
        <p role="alert" className="mt-2 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
