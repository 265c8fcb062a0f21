import type { Metadata } from "next";
import { ReportPage } from "./report-page";

export const metadata: Metadata = { title: "Evaluation report" };

export default async function Page({ params }: { params: Promise<{ run: string; report: string }> }) {
  const { run, report } = await params;
  return <ReportPage runId={run} reportId={report} />;
}
