"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import { useState } from "react";
import { ConfirmButton } from "../../../../../_components/confirm-button";
import { ErrorState, LoadingRows, Section } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";

function Row({ label, value, secret = false }: { label: string; value: string; secret?: boolean }) {
  const [shown, setShown] = useState(!secret);
  return (
    <div className="space-y-1">
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-500">{label}</dt>
      <dd className="flex items-center gap-2">
        <code className="min-w-0 flex-1 truncate rounded bg-gray-50 px-2 py-1 font-mono text-xs text-gray-800" data-webhook={label}>
          {shown ? value : "•".repeat(24)}
        </code>
        {secret ? (
          <Button size="xs" variant="light" onClick={() => setShown((s) => !s)}>
            {shown ? "Hide" : "Show"}
          </Button>
        ) : null}
      </dd>
    </div>
  );
}

/** Where GitHub and GitLab send pushes, and the secret they sign with (GitHub) or send (GitLab). ADMIN only. */
export function WebhookPanel({ projectId, pipelineId }: { projectId: string; pipelineId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = { projectId, pipelineId };
  const hook = useQuery(trpc.pipeline.webhook.queryOptions(ref));
  const rotate = useMutation(
    trpc.pipeline.rotateWebhookSecret.mutationOptions({
      onSuccess: (fresh) => queryClient.setQueryData(trpc.pipeline.webhook.queryKey(ref), fresh),
    }),
  );
  return (
    <Section
      title="Push webhooks"
      description="Add one of these in the repository's webhook settings (content type application/json, push events) with the secret below. A delivery with a wrong signature or token is refused."
      actions={
        <ConfirmButton label="Rotate secret" title="Rotate the webhook secret?" onConfirm={() => rotate.mutateAsync(ref)}>
          The current secret stops working at once: deliveries signed with it are refused until the repository&apos;s webhook has the new one.
        </ConfirmButton>
      }
    >
      {hook.isPending ? (
        <LoadingRows rows={3} label="Loading webhook" />
      ) : hook.error ? (
        <ErrorState error={hook.error} onRetry={() => void hook.refetch()} />
      ) : (
        <dl className="space-y-3">
          <Row label="GitHub URL" value={hook.data.githubUrl} />
          <Row label="GitLab URL" value={hook.data.gitlabUrl} />
          <Row label="Secret" value={hook.data.secret} secret />
        </dl>
      )}
    </Section>
  );
}
