"use client";

import { Badge, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { Section } from "../../../../../../_components/states";
import { formatCount, formatPercent } from "../../../../../../_lib/format";
import type { StoredProfile } from "@/server/datasets/schemas";
import { formatColumnValue, formatSpread } from "./profile-format";

const TYPE_COLOR = { numeric: "blue", integer: "indigo", boolean: "violet", categorical: "amber", datetime: "teal", text: "gray" } as const;

export function TypeBadge({ type }: { type: keyof typeof TYPE_COLOR }) {
  return (
    <Badge size="xs" color={TYPE_COLOR[type]}>
      {type}
    </Badge>
  );
}

/** The inferred schema with the headline statistics of every column. */
export function SchemaTable({ profile }: { profile: StoredProfile }) {
  return (
    <Section title="Schema" description={`${profile.columns.length} columns inferred from ${formatCount(profile.rowCount)} rows.`}>
      <div className="overflow-x-auto">
        <Table aria-label="Schema" className="[&_td]:px-2.5 [&_th]:px-2.5">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Column</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Nullable</TableHeaderCell>
              <TableHeaderCell className="text-right">Missing</TableHeaderCell>
              <TableHeaderCell className="text-right">Distinct</TableHeaderCell>
              <TableHeaderCell className="text-right">Min</TableHeaderCell>
              <TableHeaderCell className="text-right">Max</TableHeaderCell>
              <TableHeaderCell className="text-right">Mean</TableHeaderCell>
              <TableHeaderCell className="text-right">Std</TableHeaderCell>
              <TableHeaderCell className="text-right">p50</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {profile.columns.map((c) => {
              const numeric = c.type !== "categorical" && c.type !== "text";
              return (
                <TableRow key={c.name} data-column={c.name}>
                  <TableCell className="max-w-[14rem] truncate font-mono text-xs font-medium text-gray-900" title={c.name}>
                    {c.name}
                  </TableCell>
                  <TableCell>
                    <TypeBadge type={c.type} />
                  </TableCell>
                  <TableCell>{c.nullable ? "yes" : "no"}</TableCell>
                  <TableCell className={`text-right tabular-nums ${c.missing > 0 ? "text-amber-700" : ""}`}>{formatPercent(c.missingShare)}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {c.distinctApprox ? "≈" : ""}
                    {formatCount(c.distinct)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{numeric ? formatColumnValue(c, c.min) : "—"}</TableCell>
                  <TableCell className="text-right tabular-nums">{numeric ? formatColumnValue(c, c.max) : "—"}</TableCell>
                  <TableCell className="text-right tabular-nums">{numeric ? formatColumnValue(c, c.mean) : "—"}</TableCell>
                  <TableCell className="text-right tabular-nums">{numeric ? formatSpread(c, c.std) : "—"}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatColumnValue(c, c.quantiles?.p50)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </Section>
  );
}
