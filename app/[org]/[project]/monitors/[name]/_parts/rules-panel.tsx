"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button } from "@tremor/react";
import Link from "next/link";
import { useState } from "react";
import { ConfirmButton } from "../../../../../_components/confirm-button";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC } from "../../../../../_lib/trpc";
import { conditionWords, EMPTY_RULE, retrainWords, ruleDraft } from "../../_components/rule-draft";
import { monitorPaths } from "../../_components/paths";
import { RuleForm } from "./rule-form";

/** The monitor's alert rules, each editable in place, and a form for a new one. */
export function RulesPanel({ monitorName, features }: { monitorName: string; features: readonly string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can, org } = useOrg();
  const project = useProject();
  const paths = monitorPaths(`/${org.slug}/${project.slug}`);
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const rules = useQuery(trpc.monitor.rules.queryOptions({ projectId: project.id, name: monitorName }));
  const remove = useMutation(trpc.monitor.deleteRule.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.monitor.rules.pathKey()) }));
  const member = can("MEMBER");
  const action = member && editing === null ? (
    <Button size="xs" onClick={() => setEditing("new")}>
      New rule
    </Button>
  ) : null;

  return (
    <Section title="Alert rules" description="A rule fires on a report, alerts its channels (de-duplicated, with a cooldown) and may start retraining (a pipeline, or a training spec run as a pipeline Cairn writes) within its budget." actions={action}>
      {editing === "new" ? <RuleForm monitorName={monitorName} ruleId={null} initial={EMPTY_RULE} features={features} onDone={() => setEditing(null)} /> : null}
      {rules.isPending ? (
        <LoadingRows rows={2} label="Loading rules" />
      ) : rules.error ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} title="Could not load rules" />
      ) : rules.data.length === 0 ? (
        editing === "new" ? null : (
          <EmptyState title="No rules yet">Without a rule the monitor still computes its reports, but tells nobody. Add one to be alerted by e-mail, Slack or webhook, or to retrain.</EmptyState>
        )
      ) : (
        <ul className="divide-y divide-gray-100 rounded-md border border-gray-200" aria-label="Rules">
          {rules.data.map((r) =>
            editing === r.id ? (
              <li key={r.id} className="p-2">
                <RuleForm monitorName={monitorName} ruleId={r.id} initial={ruleDraft(r)} features={features} onDone={() => setEditing(null)} />
              </li>
            ) : (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3" data-rule={r.name}>
                <div className="min-w-0 space-y-0.5">
                  <p className="flex items-center gap-2 text-sm">
                    <span className="font-medium text-gray-900">{r.name}</span>
                    <Badge size="xs" color={r.severity === "critical" ? "rose" : r.severity === "warning" ? "amber" : "gray"}>
                      {r.severity}
                    </Badge>
                    {r.enabled ? null : (
                      <Badge size="xs" color="gray">
                        disabled
                      </Badge>
                    )}
                  </p>
                  <p className="text-xs text-gray-600">
                    when {conditionWords(r.condition)} · {r.channelIds.length} channel{r.channelIds.length === 1 ? "" : "s"} · cooldown {Math.round(r.cooldownSeconds / 60)} min
                    {r.action ? ` · ${retrainWords(r)}` : ""}
                  </p>
                  {r.generatedPipeline ? (
                    <p className="text-xs">
                      <Link href={paths.pipeline(r.generatedPipeline)} className="text-blue-700 hover:underline" data-rule-pipeline={r.name}>
                        Generated pipeline {r.generatedPipeline}
                      </Link>
                    </p>
                  ) : null}
                </div>
                {member ? (
                  <div className="flex gap-2">
                    <Button size="xs" variant="secondary" onClick={() => setEditing(r.id)} disabled={editing !== null}>
                      Edit
                    </Button>
                    <ConfirmButton label="Delete" title={`Delete rule ${r.name}?`} onConfirm={() => remove.mutateAsync({ projectId: project.id, name: monitorName, ruleId: r.id })}>
                      Its incidents stay in the alert history.
                    </ConfirmButton>
                  </div>
                ) : null}
              </li>
            ),
          )}
        </ul>
      )}
    </Section>
  );
}
