import type { StepOutputs, StepRunDto } from "@/server/pipelines/schemas";

export interface StepLink {
  label: string;
  href: string;
}

/**
 * Links to what a step produced, on the pages that show them: the dataset version it checked, the
 * training run, its evaluation report, the model version, the gate report (on the version's page)
 * and the deployment. A step names its own outputs; an evaluation is a page of the run that an
 * earlier step trained, and a gate report of the version that an earlier step registered.
 */
export function stepLinks(step: Pick<StepRunDto, "outputs">, steps: readonly Pick<StepRunDto, "outputs">[], projectBase: string, datasetSlug?: (versionId: string) => string | undefined): StepLink[] {
  const o: StepOutputs = step.outputs ?? {};
  const earlier = <K extends keyof StepOutputs>(key: K): StepOutputs[K] | undefined => o[key] ?? steps.map((s) => s.outputs?.[key]).find((v) => v !== undefined);
  const links: StepLink[] = [];
  if (o.datasetVersionId) {
    const slug = datasetSlug?.(o.datasetVersionId);
    if (slug) links.push({ label: "Dataset version", href: `${projectBase}/datasets/${encodeURIComponent(slug)}/versions/${o.datasetVersionId}` });
  }
  // Evaluate, register and gate carry the run they worked on too; they link to their own product instead.
  const ownProduct = o.evaluationId !== undefined || o.modelVersion !== undefined || o.gateReportId !== undefined;
  if (o.runId && !ownProduct) links.push({ label: "Training run", href: `${projectBase}/runs/${o.runId}` });
  if (o.evaluationId) {
    const runId = earlier("runId");
    if (runId) links.push({ label: "Evaluation report", href: `${projectBase}/runs/${runId}/evaluations/${o.evaluationId}` });
  }
  const modelName = o.modelName ?? (o.modelVersion !== undefined || o.gateReportId ? earlier("modelName") : undefined);
  const version = o.modelVersion ?? (o.modelName || o.gateReportId ? earlier("modelVersion") : undefined);
  if (modelName && version !== undefined) {
    const href = `${projectBase}/models/${encodeURIComponent(modelName)}/versions/${version}`;
    links.push({ label: o.gateReportId ? `Gate report (${modelName} v${version})` : `Model version ${modelName} v${version}`, href });
  }
  if (o.deploymentName) links.push({ label: `Deployment ${o.deploymentName}`, href: `${projectBase}/deployments/${encodeURIComponent(o.deploymentName)}` });
  return links;
}
