"use client";

import { Badge, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { Section } from "../../../../../_components/states";
import { formatCount, formatStat } from "../../../../../_lib/format";
import type { RouterOutputs } from "../../../../../_lib/trpc";

type Column = RouterOutputs["dataset"]["compare"]["columns"][number];

/** PSI above 0.2 is the customary sign of a significant shift (server/ml/psi.ts PSI_DRIFT_LIMIT). */
export const PSI_LIMIT = 0.2;

const STATUS_COLOR = { added: "emerald", removed: "rose", retyped: "amber", same: "gray" } as const;

const pValue = (p: number) => (p < 1e-4 ? "< 0.0001" : p.toFixed(4));
const sizes = (n1: number, n2: number) => `n₁ ${formatCount(n1)} · n₂ ${formatCount(n2)}`;

function Skipped({ reason }: { reason: string }) {
  return (
    <TableCell colSpan={5} className="whitespace-normal text-xs text-gray-500" data-skipped={reason}>
      skipped: {reason} {reason === "identifier-like" ? "(a value per row: every version differs)" : "(too many distinct strings to test)"}
    </TableCell>
  );
}

export function CompareTable({ columns, pending }: { columns: Column[]; pending: boolean }) {
  return (
    <Section
      title="Per-column drift"
      description="On the full data of both versions. PSI on the base version's bins (missing values as their own bin); Kolmogorov–Smirnov for numeric columns as scipy.stats.ks_2samp; chi-square for categorical ones, rare categories pooled. Identifier-like and free-text columns are not tested."
    >
      <div className="overflow-x-auto">
        <Table aria-label="Per-column drift" aria-busy={pending || undefined}>
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
              const drifted = c.drifted;
              const dash = pending && c.status !== "added" && c.status !== "removed" ? "…" : "—";
              return (
                <TableRow key={c.column} data-compare-column={c.column} data-drifted={drifted || undefined}>
                  <TableCell className="font-mono text-xs font-medium text-gray-900">{c.column}</TableCell>
                  <TableCell>
                    <Badge size="xs" color={STATUS_COLOR[c.status]}>
                      {c.status}
                    </Badge>
                  </TableCell>
                  <TableCell className="text-xs">{c.baseType === c.targetType ? c.baseType : `${c.baseType ?? "—"} → ${c.targetType ?? "—"}`}</TableCell>
                  {c.skipped ? (
                    <Skipped reason={c.skipped} />
                  ) : (
                    <>
                      <TableCell className={`text-right tabular-nums ${drifted ? "font-semibold text-rose-700" : ""}`} data-psi>
                        {c.psi !== null ? (
                          <span className={drifted ? "rounded bg-rose-100 px-1.5 py-0.5" : ""} title={drifted ? `Above ${PSI_LIMIT}: a significant shift` : undefined}>
                            {c.psi.toFixed(4)}
                          </span>
                        ) : (
                          dash
                        )}
                      </TableCell>
                      <TableCell className="text-right tabular-nums" data-ks>
                        {c.ks ? (
                          <span title={`${c.ks.method === "exact" ? "Exact" : "Asymptotic"} p-value${c.ks.sampled ? "; a uniform sample of a column beyond 2,000,000 values" : ""}`}>
                            {formatStat(c.ks.statistic)}
                            <span className="block whitespace-nowrap text-[11px] text-gray-500">
                              {sizes(c.ks.n1, c.ks.n2)}
                              {c.ks.sampled ? " (sample)" : ""}
                            </span>
                          </span>
                        ) : (
                          dash
                        )}
                      </TableCell>
                      <TableCell className={`text-right tabular-nums ${c.ks && c.ks.pValue < 0.05 ? "text-amber-700" : ""}`}>{c.ks ? pValue(c.ks.pValue) : dash}</TableCell>
                      <TableCell className="text-right tabular-nums" data-chi-square>
                        {c.chiSquare ? (
                          <span title={c.chiSquare.pooled > 0 ? `${c.chiSquare.pooled} rare categories pooled into "(other)"` : undefined}>
                            {formatStat(c.chiSquare.statistic)} ({c.chiSquare.dof})
                            <span className="block whitespace-nowrap text-[11px] text-gray-500">{sizes(c.chiSquare.n1, c.chiSquare.n2)}</span>
                          </span>
                        ) : c.chiSquareNote ? (
                          <span className="text-xs text-gray-500">not valid: {c.chiSquareNote}</span>
                        ) : (
                          dash
                        )}
                      </TableCell>
                      <TableCell className={`text-right tabular-nums ${c.chiSquare && c.chiSquare.pValue < 0.05 ? "text-amber-700" : ""}`}>
                        {c.chiSquare ? pValue(c.chiSquare.pValue) : dash}
                      </TableCell>
                    </>
                  )}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </Section>
  );
}
