"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import { useState } from "react";
import { ConfirmButton } from "../../../../../_components/confirm-button";
import { Field } from "../../../../../_components/field";
import { TextInput } from "../../../../../_components/inputs";
import { useProject } from "../../../../../_components/org-context";
import { FormError } from "../../../../../_components/states";
import { useTRPCClient, type RouterInputs, type RouterOutputs } from "../../../../../_lib/trpc";
import { useRefreshDeployments } from "./use-deployment";

type Deployment = RouterOutputs["deployment"]["get"];
type ActionInput = RouterInputs["deployment"]["pause"];
type Action = "advance" | "pause" | "resume" | "abort" | "promote" | "switch" | "rollback";

/** What each confirmed action does, said before it happens. */
const CONFIRM: Partial<Record<Action, { label: string; title: string; text: string }>> = {
  promote: { label: "Promote now", title: "Promote the candidate now?", text: "The candidate becomes the stable version and answers every request, whatever step the rollout is at." },
  switch: { label: "Switch", title: "Switch traffic?", text: "The candidate answers every request; the current stable version stays loaded as the candidate, so switching again moves back at once." },
  abort: { label: "Abort", title: "Abort the rollout?", text: "The candidate is removed and the stable version answers every request again." },
  rollback: { label: "Roll back", title: "Roll back to the previous stable version?", text: "The stable version before the current one answers every request again, read from the ledger; any candidate is removed." },
};

/**
 * The changes an ADMIN makes to a running deployment. Each takes the reason typed above the buttons
 * into the ledger; the destructive ones ask first. The server decides what is allowed (policy, state)
 * and its refusal is shown as it words it.
 */
export function DeploymentControls({ deployment }: { deployment: Deployment }) {
  const client = useTRPCClient();
  const project = useProject();
  const refresh = useRefreshDeployments();
  const [reason, setReason] = useState("");
  const calls: Record<Action, (input: ActionInput) => Promise<unknown>> = {
    advance: (i) => client.deployment.advance.mutate(i),
    pause: (i) => client.deployment.pause.mutate(i),
    resume: (i) => client.deployment.resume.mutate(i),
    abort: (i) => client.deployment.abort.mutate(i),
    promote: (i) => client.deployment.promote.mutate(i),
    switch: (i) => client.deployment.switch.mutate(i),
    rollback: (i) => client.deployment.rollback.mutate(i),
  };
  const act = useMutation({
    mutationFn: (action: Action) => calls[action]({ projectId: project.id, deploymentId: deployment.id, reason: reason.trim() || undefined }),
    onSuccess: async () => {
      setReason("");
      await refresh();
    },
  });
  const candidate = deployment.candidateVersionId !== null;
  const paused = deployment.status === "paused";
  // The step after the current one; at the last step "Promote now" is the way on (behind its confirmation).
  const nextPercent = deployment.rollout ? deployment.rollout.config.steps[deployment.rollout.step + 1] : undefined;

  const plain = (action: Action, label: string, variant: "primary" | "secondary" = "secondary") => (
    <Button size="xs" variant={variant} loading={act.isPending && act.variables === action} disabled={act.isPending} onClick={() => act.mutate(action)}>
      {label}
    </Button>
  );
  const confirmed = (action: Action) => {
    const c = CONFIRM[action]!;
    return (
      <ConfirmButton label={c.label} title={c.title} onConfirm={() => act.mutateAsync(action)} disabled={act.isPending}>
        <p>{c.text}</p>
        <p className="mt-2">
          Reason in the ledger: <span className="font-medium text-gray-900">{reason.trim() || "(none given)"}</span>
        </p>
      </ConfirmButton>
    );
  };

  return (
    <div className="space-y-3 border-t border-gray-100 pt-3" aria-label="Rollout controls" role="group">
      <Field label="Reason for the action (recorded in the ledger)" htmlFor="action-reason">
        <TextInput id="action-reason" value={reason} onValueChange={setReason} placeholder="e.g. p95 looks fine after an hour" />
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        {candidate && nextPercent !== undefined && !paused ? plain("advance", `Advance to ${nextPercent}%`, "primary") : null}
        {candidate && !paused ? plain("pause", "Pause") : null}
        {candidate && paused ? plain("resume", "Resume", "primary") : null}
        {candidate && deployment.strategy === "blue_green" ? confirmed("switch") : null}
        {candidate && deployment.strategy !== "blue_green" ? confirmed("promote") : null}
        {candidate ? confirmed("abort") : null}
        {confirmed("rollback")}
      </div>
      <FormError error={act.variables && !CONFIRM[act.variables] ? act.error : null} />
    </div>
  );
}
