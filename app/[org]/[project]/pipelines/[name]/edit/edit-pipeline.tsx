"use client";

import { useQuery } from "@tanstack/react-query";
import { Breadcrumbs } from "../../../../../_components/breadcrumbs";
import { useOrg, useProject } from "../../../../../_components/org-context";
import { PageHeader } from "../../../../../_components/page-header";
import { ErrorState, LoadingRows } from "../../../../../_components/states";
import { useTRPC } from "../../../../../_lib/trpc";
import { pipelinePaths } from "../../_components/paths";
import { PipelineEditor } from "../../_components/pipeline-editor";

export function EditPipeline({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const paths = pipelinePaths(`/${org.slug}/${project.slug}`);
  const pipeline = useQuery(trpc.pipeline.get.queryOptions({ projectId: project.id, pipelineId }));
  if (pipeline.isPending) return <LoadingRows rows={8} label="Loading pipeline" />;
  if (pipeline.error) return <ErrorState error={pipeline.error} onRetry={() => void pipeline.refetch()} title="Could not load this pipeline" />;
  const p = pipeline.data;
  return (
    <div className="space-y-4">
      <Breadcrumbs items={[{ label: "Pipelines", href: paths.base }, { label: p.name, href: paths.pipeline(p.name), mono: true }, { label: "edit" }]} />
      <PageHeader title={`Edit ${p.name}`} description={`Saving stores revision ${p.revision.number + 1}; runs already started keep the revision they started with.`} />
      <PipelineEditor initialYaml={p.yaml} existing={p.name} />
    </div>
  );
}
