/**
 * The shapes the client reads and sends, written by hand so the package needs none of the server's
 * files. They follow the server's zod DTOs (server/<domain>/schemas.ts); fields the CLI does not read
 * are kept loose. tRPC answers arrive with real Dates; /api/v1 answers are plain JSON (ISO strings).
 */

export type ParamValue = string | number | boolean | null;

export interface MetricSummary {
  key: string;
  count: number;
  last: number | null;
  lastStep: number | null;
  min: number | null;
  max: number | null;
}

export type RunStatus = "QUEUED" | "RUNNING" | "FINISHED" | "FAILED" | "KILLED";

export interface Run {
  id: string;
  projectId: string;
  experimentId: string;
  experiment: string;
  number: number;
  name: string;
  status: RunStatus;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  note: string;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  metrics: MetricSummary[];
}

export interface CreateRunInput {
  projectId: string;
  experiment?: string;
  name?: string;
  status?: "QUEUED" | "RUNNING";
  /** Nested objects are flattened to dotted keys by the server. */
  params?: Record<string, unknown>;
  tags?: Record<string, string>;
  note?: string;
  code?: { repo?: string; commit?: string; dirty?: boolean };
  environment?: Record<string, unknown>;
  /** Dataset version ids the run reads. */
  inputs?: string[];
}

export interface MetricPoint {
  key: string;
  step: number;
  value: number;
  /** Epoch milliseconds; the server's clock when omitted. */
  timestamp?: number;
}

export interface DatasetVersion {
  id: string;
  datasetId: string;
  number: number;
  sha256: string;
  sizeBytes: number;
  format: "CSV" | "JSONL" | "PARQUET";
  fileName: string;
  columns: string[];
  rowCount: number | null;
  profileStatus: "PENDING" | "READY" | "FAILED";
  validation: "PENDING" | "PASSED" | "FAILED" | "NO_CONTRACT";
  schemaChange: { fromNumber: number; added: string[]; removed: string[] } | null;
  createdAt: string;
}

export interface UploadResult {
  /** false: identical bytes were already a version, which is answered instead. */
  created: boolean;
  version: DatasetVersion;
}

export type PipelineRunStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
export type StepStatus = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "SKIPPED" | "CANCELLED" | "CACHED";
export const TERMINAL_RUN_STATUSES: readonly PipelineRunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];
export const TERMINAL_STEP_STATUSES: readonly StepStatus[] = ["SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED", "CACHED"];

export interface StepOutputs {
  datasetVersionId?: string;
  runId?: string;
  modelName?: string;
  modelVersion?: number;
  modelVersionId?: string;
  gateReportId?: string;
  passed?: boolean;
  deploymentName?: string;
}

export interface StepRun {
  id: string;
  stepId: string;
  kind: string;
  status: StepStatus;
  attempt: number;
  needs: string[];
  condition: string | null;
  cachedFrom: { runId: string; number: number } | null;
  outputs: StepOutputs | null;
  message: string | null;
  log: string[];
  startedAt: string | null;
  finishedAt: string | null;
}

export interface PipelineRun {
  id: string;
  number: number;
  status: PipelineRunStatus;
  trigger: string;
  projectId: string;
  pipelineId: string;
  pipelineName: string;
  revisionNumber: number;
  params: Record<string, string | number | boolean>;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: StepRun[];
}

export interface Pipeline {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  revision: { id: string; number: number; sha256: string; source: string; createdAt: string };
  triggers: { kind: string; detail: string }[];
  concurrency: "queue" | "cancel-previous";
  maxRunsPerDay: number | null;
  nextCronAt: string | null;
  lastRun: { id: string; number: number; status: PipelineRunStatus; trigger: string; createdAt: string; finishedAt: string | null } | null;
  createdAt: string;
}

export interface PipelineDetail extends Pipeline {
  yaml: string;
  revisions: Pipeline["revision"][];
  nextCronRuns: string[];
}

export interface GateCheck {
  name: string;
  status: "pass" | "fail" | "error";
  summary: string;
  skipped: string | null;
  evidence: unknown;
}

export interface GateReport {
  id: string;
  modelId: string;
  versionId: string;
  versionNumber: number;
  status: "PENDING" | "RUNNING" | "DONE" | "FAILED";
  passed: boolean | null;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
  report: { passed: boolean; checks: GateCheck[]; champion: { number: number } | null; [k: string]: unknown } | null;
}

export interface AliasMove {
  modelId: string;
  alias: string;
  kind: "promote" | "override" | "rollback";
  fromVersionId: string | null;
  toVersionId: string;
  toVersionNumber: number;
  gateReportId: string | null;
  eventId: string;
  createdAt: string;
}

export interface Deployment {
  id: string;
  name: string;
  environment: { id: string; name: string };
  modelId: string;
  modelName: string;
  strategy: "direct" | "canary" | "blue_green" | "shadow" | "ab";
  status: "active" | "rolling_out" | "paused" | "aborted" | "rolled_back";
  stableVersion: number;
  candidateVersion: number | null;
  candidatePercent: number;
  rollout: { step: number; config: { steps?: number[] } & Record<string, unknown>; stepStartedAt: string } | null;
  endpoint: string;
  updatedAt: string;
}

export type WhoAmI =
  | { kind: "user"; id: string; email: string; name: string }
  | { kind: "token"; id: string; label: string; orgId: string; projectId: string | null; role: string };
