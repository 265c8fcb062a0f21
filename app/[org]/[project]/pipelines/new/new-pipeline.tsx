"use client";

import { useQuery } from "@tanstack/react-query";
import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import { useOrg, useProject } from "../../../../_components/org-context";
import { PageHeader } from "../../../../_components/page-header";
import { LoadingRows } from "../../../../_components/states";
import { useTRPC } from "../../../../_lib/trpc";
import { pipelinePaths } from "../_components/paths";
import { PipelineEditor } from "../_components/pipeline-editor";
import { pipelineTemplate } from "../_components/template";

export function NewPipeline() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const project = useProject();
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId: project.id }));
  // The template names one of the project's datasets (the demo's deliveries when present).
  const slugs = datasets.data?.map((d) => d.slug) ?? [];
  const dataset = slugs.includes("deliveries") ? "deliveries" : (slugs[0] ?? null);
  return (
    <div className="space-y-4">
      <Breadcrumbs items={[{ label: "Pipelines", href: pipelinePaths(`/${org.slug}/${project.slug}`).base }, { label: "new" }]} />
      <PageHeader
        title="New pipeline"
        description={
          <>
            The same YAML as a <code className="font-mono text-xs">cairn.yaml</code> in your repository (sent with <code className="font-mono text-xs">cairn pipeline push</code>). It is checked as you type.
          </>
        }
      />
      {datasets.isPending ? <LoadingRows rows={8} label="Preparing the template" /> : <PipelineEditor initialYaml={pipelineTemplate(dataset)} />}
    </div>
  );
}
