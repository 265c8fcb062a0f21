export type GateState = "passed" | "failed" | "error" | "pending" | "running" | "none";

/** One word for a gate report's state: a finished report passed or failed, a crashed job is an error. */
export function gateState(report: { status: string; passed: boolean | null } | null | undefined): GateState {
  if (!report) return "none";
  if (report.status === "PENDING") return "pending";
  if (report.status === "RUNNING") return "running";
  if (report.status === "FAILED") return "error";
  return report.passed ? "passed" : "failed";
}
