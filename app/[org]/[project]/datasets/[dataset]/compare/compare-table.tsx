"use client";

import { Badge, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { Section } from "../../../../../_components/states";
import { formatStat } from "../../../../../_lib/format";
import type { RouterOutputs } from "../../../../../_lib/trpc";

type Column = RouterOutputs["dataset"]["compare"]["columns"][number];

/** PSI above 0.2 is the customary sign of a significant shift. */
export const PSI_LIMIT = 0.2;

const STATUS_COLOR = { added: "emerald", removed: "rose", retyped: "amber", same: "gray" } as const;

const pValue = (p: number) => (p < 1e-4 ? "< 0.0001" : p.toFixed(4));

export function CompareTable({ columns }: { columns: Column[] }) {
  return (
    <Section title="Per-column drift" description="PSI on the base version's bins; Kolmogorov–Smirnov for numeric columns, chi-square for categorical ones.">
      <div className="overflow-x-auto">
        <Table aria-label="Per-column drift">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Column</TableHeaderCell>
              <TableHeaderCell>Change</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell className="text-right">PSI</TableHeaderCell>
              <TableHeaderCell className="text-right">KS statistic</TableHeaderCell>
              <TableHeaderCell className="text-right">KS p-value</TableHeaderCell>
              <TableHeaderCell className="text-right">χ² (dof)</TableHeaderCell>
              <TableHeaderCell className="text-right">χ² p-value</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {columns.map((c) => {
              const drifted = c.psi !== null && c.psi > PSI_LIMIT;
              return (
                <TableRow key={c.column} data-compare-column={c.column} data-drifted={drifted || undefined}>
                  <TableCell className="font-mono text-xs font-medium text-gray-900">{c.column}</TableCell>
                  <TableCell>
                    <Badge size="xs" color={STATUS_COLOR[c.status]}>
                      {c.status}
                    </Badge>
                  </TableCell>
                  <TableCell className="text-xs">{c.baseType === c.targetType ? c.baseType : `${c.baseType ?? "—"} → ${c.targetType ?? "—"}`}</TableCell>
                  <TableCell className={`text-right tabular-nums ${drifted ? "font-semibold text-rose-700" : ""}`} data-psi>
                    {c.psi !== null ? (
                      <span className={drifted ? "rounded bg-rose-100 px-1.5 py-0.5" : ""} title={drifted ? `Above ${PSI_LIMIT}: a significant shift` : undefined}>
                        {c.psi.toFixed(4)}
                      </span>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{c.ks ? formatStat(c.ks.statistic) : "—"}</TableCell>
                  <TableCell className={`text-right tabular-nums ${c.ks && c.ks.pValue < 0.05 ? "text-amber-700" : ""}`}>{c.ks ? pValue(c.ks.pValue) : "—"}</TableCell>
                  <TableCell className="text-right tabular-nums">{c.chiSquare ? `${formatStat(c.chiSquare.statistic)} (${c.chiSquare.dof})` : "—"}</TableCell>
                  <TableCell className={`text-right tabular-nums ${c.chiSquare && c.chiSquare.pValue < 0.05 ? "text-amber-700" : ""}`}>
                    {c.chiSquare ? pValue(c.chiSquare.pValue) : "—"}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </Section>
  );
}
