"use client";

import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { Section } from "../../../../../../_components/states";
import { formatCount, formatStat } from "../../../../../../_lib/format";
import type { VersionDetail } from "./types";

/** The metrics as the run's evaluation measured them when the version was registered. */
export function MetricsPanel({ version }: { version: VersionDetail }) {
  const snapshot = version.metrics;
  return (
    <Section title="Metrics" description={snapshot ? `On the ${snapshot.split} split, ${formatCount(snapshot.rowCount)} rows, at registration.` : undefined}>
      {!snapshot ? (
        <p className="text-sm text-gray-500">No evaluation was recorded for this version; the gate scores it on its own.</p>
      ) : (
        <dl className="grid grid-cols-2 gap-3 xl:grid-cols-4" aria-label="Metrics snapshot">
          {Object.entries(snapshot.metrics).map(([key, value]) => (
            <div key={key} className="rounded-md border border-gray-100 bg-gray-50 px-3 py-2" data-snapshot-metric={key}>
              <dt className="text-xs text-gray-500">{key}</dt>
              <dd className="text-lg font-semibold tabular-nums text-gray-900">{formatStat(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </Section>
  );
}

const shape = (dims: (number | string | null)[]) => `[${dims.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;

/** Inputs and outputs as ONNX Runtime reads them from the file. */
export function SignaturePanel({ version }: { version: VersionDetail }) {
  const { signature } = version;
  const rows = [...signature.inputs.map((t) => ({ ...t, io: "input" })), ...signature.outputs.map((t) => ({ ...t, io: "output" }))];
  const opsets = Object.entries(signature.opsets)
    .map(([domain, v]) => `${domain || "ai.onnx"} ${v}`)
    .join(", ");
  return (
    <Section title="Signature" description={`ONNX IR ${signature.irVersion ?? "?"}${opsets ? ` · opsets ${opsets}` : ""}`}>
      <Table aria-label="Signature">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Tensor</TableHeaderCell>
            <TableHeaderCell>Kind</TableHeaderCell>
            <TableHeaderCell>Type</TableHeaderCell>
            <TableHeaderCell>Shape</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((t) => (
            <TableRow key={`${t.io}-${t.name}`} data-tensor={t.name}>
              <TableCell className="font-mono text-xs text-gray-900">{t.name}</TableCell>
              <TableCell>{t.io}</TableCell>
              <TableCell className="font-mono text-xs">{t.type}</TableCell>
              <TableCell className="font-mono text-xs">{shape(t.shape)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {version.encoding ? <p className="text-xs text-gray-500">Trained with the built-in feature encoder; serving and gates encode rows with the same stored spec.</p> : null}
    </Section>
  );
}
