"use client";

import { useQuery } from "@tanstack/react-query";
import { useProject } from "../../../../../_components/org-context";
import { ErrorState, LoadingRows } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";
import { useModel } from "../../_components/model-context";
import { PolicyEditor } from "./policy-editor";
import { RevisionsPanel } from "./revisions-panel";

export function PolicyPage() {
  const trpc = useTRPC();
  const project = useProject();
  const model = useModel();
  const policy = useQuery(trpc.gate.policy.queryOptions({ projectId: project.id, modelId: model.id }));
  if (policy.isPending) return <LoadingRows rows={8} label="Loading policy" />;
  if (policy.error) return <ErrorState error={policy.error} onRetry={() => void policy.refetch()} title="Could not load the policy" />;
  return (
    <div className="space-y-6">
      {/* A new editor per saved revision, so its text starts from what was saved. */}
      <PolicyEditor key={policy.data.revisionId ?? "default"} policy={policy.data} />
      <RevisionsPanel current={policy.data.revision} />
    </div>
  );
}
