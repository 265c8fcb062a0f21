"use client";

import { Badge } from "@tremor/react";
import Link from "next/link";
import type { ReactNode } from "react";
import type { RouterOutputs } from "../../../../../_lib/trpc";
import { monitorPaths } from "../../../monitors/_components/paths";

type Provenance = NonNullable<RouterOutputs["deployment"]["ledger"][number]["provenance"]>;

function ChainLink({ href, children, testId }: { href: string; children: ReactNode; testId: string }) {
  return (
    <Link href={href} className="font-medium text-blue-700 hover:underline" data-provenance={testId}>
      {children}
    </Link>
  );
}

const Arrow = () => (
  <span aria-hidden className="text-gray-300">
    →
  </span>
);

/** Where a pipeline-deployed version came from, each link to its own page: incident → run → version → gate → approvals. */
export function LedgerProvenance({ p, projectBase }: { p: Provenance; projectBase: string }) {
  const paths = monitorPaths(projectBase);
  const version = paths.modelVersion(p.modelVersion.model, p.modelVersion.number);
  const a = p.approval;
  return (
    <div className="mt-1.5 rounded-md border border-blue-100 bg-blue-50/50 px-3 py-2 text-xs text-gray-700" aria-label="Provenance" data-ledger-provenance={p.pipelineRun.id}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        {p.incident ? (
          <>
            <span>
              Incident{" "}
              <ChainLink href={`${paths.monitor(p.incident.monitor)}?incident=${encodeURIComponent(p.incident.id)}`} testId="incident">
                {p.incident.title ?? p.incident.id}
              </ChainLink>{" "}
              <span className="text-gray-500">(monitor {p.incident.monitor})</span>
            </span>
            <Arrow />
          </>
        ) : null}
        <span>
          Run{" "}
          <ChainLink href={paths.pipelineRun(p.pipelineRun.pipeline, p.pipelineRun.id)} testId="run">
            {p.pipelineRun.pipeline} #{p.pipelineRun.number}
          </ChainLink>{" "}
          <span className="text-gray-500">(trigger {p.pipelineRun.trigger})</span>
        </span>
        <Arrow />
        <ChainLink href={version} testId="version">
          {p.modelVersion.model} v{p.modelVersion.number}
        </ChainLink>
        <Arrow />
        {p.gate ? (
          <span className="inline-flex items-center gap-1">
            <ChainLink href={`${version}?report=${encodeURIComponent(p.gate.reportId)}`} testId="gate">
              gate report
            </ChainLink>
            <Badge size="xs" color={p.gate.passed ? "emerald" : "rose"}>
              {p.gate.passed ? "passed" : p.gate.passed === false ? "not passed" : "no outcome"}
            </Badge>
          </span>
        ) : (
          <span className="text-gray-500">no gate step</span>
        )}
      </div>
      <p className="mt-1" data-provenance="approval" data-approval={a.status}>
        {a.status === "approved" ? (
          <>
            Approved by {a.approvals.filter((x) => x.decision === "APPROVE").map((x) => `${x.user} (${x.role})`).join(", ")}{" "}
            <span className="text-gray-500">
              ({a.required} required by gate policy revision {a.policyRevision})
            </span>
          </>
        ) : (
          <>
            Approvals waived: {a.waivedBy}{" "}
            <span className="text-gray-500">
              (environment {a.environment.name} requires {a.environment.requires.replace("_", " ")})
            </span>
          </>
        )}
      </p>
    </div>
  );
}
