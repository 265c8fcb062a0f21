/**
 * Path and method → handler for MLflow's tracking and registry REST subset (/api/2.0/mlflow/…) and
 * its artifact proxy (/api/2.0/mlflow-artifacts/…). Roles follow the matching tRPC procedures:
 * reads VIEWER, logging and registering MEMBER, deleting (archiving) a run ADMIN; a run's own token
 * may log to its run and read its project.
 */
import { z } from "zod";
import { artifactResponse } from "../runs/artifacts";
import { downloadArtifact, listArtifactsAt, listRunArtifacts, parseArtifactLocation, uploadArtifact, type ArtifactLocation } from "./artifacts";
import { createExperiment, getExperiment, getExperimentByName, searchExperiments } from "./experiments";
import { customEndpoint, endpoint, fields, type Endpoint } from "./http";
import { deleteMlflowTag, logMlflowBatch, logMlflowMetric, logMlflowParams, metricHistory, setMlflowTags } from "./logging";
import {
  createMlflowModelVersion,
  createRegisteredModel,
  deleteMlflowAlias,
  getMlflowModelVersion,
  getRegisteredModel,
  getVersionByAlias,
  latestVersions,
  searchModelVersions,
  searchRegisteredModels,
  setMlflowAlias,
} from "./registry";
import { createMlflowRun, getMlflowRun, searchMlflowRuns, setMlflowRunDeleted, updateMlflowRun } from "./runs";
import * as S from "./schemas";

const READ = { minRole: "VIEWER", runTokens: "read" } as const;
const LOG = { minRole: "MEMBER", runTokens: "own-run" } as const;
const WRITE = { minRole: "MEMBER" } as const;
const byRun = (i: { runId: string }) => i.runId;

export const TRACKING_BASE = "/api/2.0/mlflow/";
export const ARTIFACTS_BASE = "/api/2.0/mlflow-artifacts/";

const searchExperimentsWith = (input: z.output<typeof S.ZSearchExperiments>, projectId: string) =>
  searchExperiments({ projectId, filter: input.filter, orderBy: input.order_by, maxResults: input.max_results, pageToken: input.page_token, viewType: input.view_type });

export const TRACKING: Endpoint[] = [
  endpoint({ methods: ["POST"], path: "experiments/create", policy: { ...WRITE, what: "creating an experiment" }, schema: S.ZCreateExperiment,
    handle: ({ scope, input }) => createExperiment({ projectId: scope.projectId, name: input.name, description: input.tags?.find((t) => t.key === "mlflow.note.content")?.value }) }),
  endpoint({ methods: ["GET"], path: "experiments/get", policy: { ...READ, what: "reading an experiment" }, schema: S.ZGetExperiment,
    handle: ({ scope, input }) => getExperiment(scope.projectId, input.experiment_id) }),
  endpoint({ methods: ["GET"], path: "experiments/get-by-name", policy: { ...READ, what: "reading an experiment" }, schema: S.ZGetExperimentByName,
    handle: ({ scope, input }) => getExperimentByName(scope.projectId, input.experiment_name) }),
  endpoint({ methods: ["GET", "POST"], path: "experiments/search", policy: { ...READ, what: "searching experiments" }, schema: S.ZSearchExperiments,
    handle: ({ scope, input }) => searchExperimentsWith(input, scope.projectId) }),
  // MLflow 1.x's list, which older clients (the npm `mlflow` package among them) still call.
  endpoint({ methods: ["GET"], path: "experiments/list", policy: { ...READ, what: "listing experiments" }, schema: S.ZSearchExperiments,
    handle: ({ scope, input }) => searchExperimentsWith({ ...input, max_results: 50_000 }, scope.projectId) }),

  endpoint({ methods: ["POST"], path: "runs/create", policy: { ...WRITE, what: "creating a run" }, schema: S.ZCreateRun,
    handle: ({ scope, input }) => createMlflowRun({ ...scope, experimentId: input.experiment_id, runName: input.run_name, tags: input.tags ?? [] }) }),
  endpoint({ methods: ["GET"], path: "runs/get", policy: { ...READ, what: "reading a run" }, schema: S.ZGetRun, runId: byRun,
    handle: async ({ scope, input }) => ({ run: await getMlflowRun(scope.projectId, input.runId) }) }),
  endpoint({ methods: ["POST"], path: "runs/update", policy: { ...LOG, what: "updating a run" }, schema: S.ZUpdateRun, runId: byRun,
    handle: ({ scope, input }) => updateMlflowRun({ ...scope, runId: input.runId, status: input.status, runName: input.run_name }) }),
  endpoint({ methods: ["POST"], path: "runs/delete", policy: { minRole: "ADMIN", what: "deleting (archiving) a run" }, schema: S.ZDeleteRun,
    handle: ({ scope, input }) => setMlflowRunDeleted({ ...scope, runId: input.runId, deleted: true }) }),
  endpoint({ methods: ["POST"], path: "runs/restore", policy: { minRole: "ADMIN", what: "restoring (unarchiving) a run" }, schema: S.ZDeleteRun,
    handle: ({ scope, input }) => setMlflowRunDeleted({ ...scope, runId: input.runId, deleted: false }) }),
  endpoint({ methods: ["GET", "POST"], path: "runs/search", policy: { ...READ, what: "searching runs" }, schema: S.ZSearchRuns,
    handle: ({ scope, input }) =>
      searchMlflowRuns({ projectId: scope.projectId, experimentIds: input.experiment_ids, filter: input.filter, viewType: input.run_view_type, maxResults: input.max_results, orderBy: input.order_by, pageToken: input.page_token }) }),
  endpoint({ methods: ["POST"], path: "runs/log-metric", policy: { ...LOG, what: "logging a metric" }, schema: S.ZLogMetric, runId: byRun,
    handle: ({ scope, input }) => logMlflowMetric({ projectId: scope.projectId, runId: input.runId, point: { key: input.key, value: input.value, step: input.step, timestamp: input.timestamp } }) }),
  endpoint({ methods: ["POST"], path: "runs/log-parameter", policy: { ...LOG, what: "logging a param" }, schema: S.ZLogParam, runId: byRun,
    handle: ({ scope, input }) => logMlflowParams({ projectId: scope.projectId, runId: input.runId, params: [{ key: input.key, value: input.value }] }) }),
  endpoint({ methods: ["POST"], path: "runs/set-tag", policy: { ...LOG, what: "setting a tag" }, schema: S.ZSetTag, runId: byRun,
    handle: ({ scope, input }) => setMlflowTags({ projectId: scope.projectId, runId: input.runId, tags: [{ key: input.key, value: input.value }] }) }),
  endpoint({ methods: ["POST"], path: "runs/delete-tag", policy: { ...LOG, what: "deleting a tag" }, schema: S.ZDeleteTag, runId: byRun,
    handle: ({ scope, input }) => deleteMlflowTag({ projectId: scope.projectId, runId: input.runId, key: input.key }) }),
  endpoint({ methods: ["POST"], path: "runs/log-batch", policy: { ...LOG, what: "logging a batch" }, schema: S.ZLogBatch, runId: byRun,
    handle: ({ scope, input }) => logMlflowBatch({ projectId: scope.projectId, runId: input.runId, metrics: input.metrics, params: input.params, tags: input.tags }) }),
  endpoint({ methods: ["GET"], path: "metrics/get-history", policy: { ...READ, what: "reading a metric's history" }, schema: S.ZGetHistory, runId: byRun,
    handle: ({ scope, input }) => metricHistory({ projectId: scope.projectId, runId: input.runId, key: input.metric_key, maxResults: input.max_results, pageToken: input.page_token }) }),
  endpoint({ methods: ["GET"], path: "artifacts/list", policy: { ...READ, what: "listing artifacts" }, schema: S.ZListArtifacts, runId: byRun,
    handle: ({ scope, input }) => listRunArtifacts(scope.projectId, input.runId, input.path) }),

  endpoint({ methods: ["POST"], path: "registered-models/create", policy: { ...WRITE, what: "creating a model" }, schema: S.ZCreateRegisteredModel,
    handle: ({ scope, input }) => createRegisteredModel({ ...scope, name: input.name, description: input.description, tags: input.tags ?? [] }) }),
  endpoint({ methods: ["GET"], path: "registered-models/get", policy: { ...READ, what: "reading a model" }, schema: S.ZGetRegisteredModel,
    handle: ({ scope, input }) => getRegisteredModel(scope.projectId, input.name) }),
  endpoint({ methods: ["GET", "POST"], path: "registered-models/get-latest-versions", policy: { ...READ, what: "reading a model's versions" }, schema: S.ZLatestVersions,
    handle: ({ scope, input }) => latestVersions(scope.projectId, input.name, input.stages) }),
  endpoint({ methods: ["GET", "POST"], path: "registered-models/search", policy: { ...READ, what: "searching models" }, schema: S.ZSearchRegistry,
    handle: ({ scope, input }) => searchRegisteredModels({ projectId: scope.projectId, filter: input.filter, orderBy: input.order_by, maxResults: input.max_results, pageToken: input.page_token }) }),
  endpoint({ methods: ["POST"], path: "model-versions/create", policy: { ...WRITE, what: "registering a model version" }, schema: S.ZCreateModelVersion,
    handle: ({ scope, input }) => createMlflowModelVersion({ ...scope, name: input.name, source: input.source, runId: input.run_id, description: input.description }) }),
  endpoint({ methods: ["GET"], path: "model-versions/get", policy: { ...READ, what: "reading a model version" }, schema: S.ZGetModelVersion,
    handle: ({ scope, input }) => getMlflowModelVersion(scope.projectId, input.name, input.version) }),
  endpoint({ methods: ["GET", "POST"], path: "model-versions/search", policy: { ...READ, what: "searching model versions" }, schema: S.ZSearchRegistry,
    handle: ({ scope, input }) => searchModelVersions({ projectId: scope.projectId, filter: input.filter, orderBy: input.order_by, maxResults: input.max_results, pageToken: input.page_token }) }),
  endpoint({ methods: ["POST"], path: "registered-models/alias", policy: { ...WRITE, what: "setting an alias" }, schema: S.ZSetAlias,
    handle: ({ scope, input }) => setMlflowAlias({ ...scope, name: input.name, alias: input.alias, version: input.version }) }),
  endpoint({ methods: ["DELETE"], path: "registered-models/alias", policy: { ...WRITE, what: "removing an alias" }, schema: S.ZAliasRef,
    handle: ({ scope, input }) => deleteMlflowAlias({ ...scope, name: input.name, alias: input.alias }) }),
  endpoint({ methods: ["GET"], path: "registered-models/alias", policy: { ...READ, what: "reading an alias" }, schema: S.ZAliasRef,
    handle: ({ scope, input }) => getVersionByAlias(scope.projectId, input.name, input.alias) }),
];

/** `<experiment>/<run>/artifacts/<path>` from the raw (still percent-encoded) URL path. */
const locationInPath = async (_req: Request, _url: URL, rest: string): Promise<ArtifactLocation> => parseArtifactLocation(rest, { decode: true });
const byLocation = (l: ArtifactLocation) => l.runId;

const listedLocation = async (req: Request, url: URL): Promise<ArtifactLocation> =>
  parseArtifactLocation((await fields(z.object({ path: z.string().max(1000).default("") }))(req, url)).path, { decode: false });

export const ARTIFACTS: Endpoint[] = [
  customEndpoint({ methods: ["GET"], path: "artifacts", policy: { ...READ, what: "listing artifacts" }, input: listedLocation, runId: byLocation,
    handle: ({ scope, input }) => listArtifactsAt(scope.projectId, input) }),
  customEndpoint({ methods: ["GET"], path: "artifacts", prefix: true, policy: { ...READ, what: "reading an artifact" }, input: locationInPath, runId: byLocation,
    handle: async ({ scope, input }) => {
      const { row, stream } = await downloadArtifact(scope.projectId, input);
      return artifactResponse(row, stream);
    } }),
  customEndpoint({ methods: ["PUT"], path: "artifacts", prefix: true, policy: { ...LOG, what: "uploading an artifact" }, input: locationInPath, runId: byLocation,
    handle: ({ scope, input, req }) => uploadArtifact(scope.projectId, input, req.body, req.headers.get("content-type")) }),
];
