import { ReportPage } from "./report-page";
import { projectTitle } from "../../../../../../_lib/titles";

export const generateMetadata = projectTitle("Runs", async (c, id, p) => {
  const [run, report] = await Promise.all([c.run.get({ projectId: id, runId: p.run! }), c.training.evaluation({ projectId: id, reportId: p.report! })]);
  return `Evaluation of ${run.name} on ${report.versionLabel} ${report.split}`;
});

export default async function Page({ params }: { params: Promise<{ run: string; report: string }> }) {
  const { run, report } = await params;
  return <ReportPage runId={run} reportId={report} />;
}
