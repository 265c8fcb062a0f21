/** Access-matrix entries of the model router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

const MODEL = (f: { projectId: string; anyId: string }) => ({ projectId: f.projectId, modelId: f.anyId });
const VERSION = (f: { projectId: string; anyId: string }) => ({ projectId: f.projectId, versionId: f.anyId });

export const MODEL_MATRIX: Record<string, MatrixEntry> = {
  "model.list": { access: "VIEWER", input: (f) => ({ projectId: f.projectId }) },
  "model.get": { access: "VIEWER", input: MODEL },
  "model.create": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, name: "matrix-model", task: "regression" }) },
  "model.update": { access: "ADMIN", input: (f) => ({ ...MODEL(f), description: "d" }) },
  "model.versions": { access: "VIEWER", input: MODEL },
  "model.version": { access: "VIEWER", input: VERSION },
  "model.register": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, modelName: "matrix-model", runId: f.runId }) },
  "model.setAlias": { access: "MEMBER", input: (f) => ({ ...VERSION(f), alias: "challenger" }) },
  "model.removeAlias": { access: "MEMBER", input: (f) => ({ ...MODEL(f), alias: "challenger" }) },
  "model.archiveVersion": { access: "ADMIN", input: VERSION },
  "model.unarchiveVersion": { access: "ADMIN", input: VERSION },
  "model.deleteVersion": { access: "ADMIN", input: VERSION },
  "model.history": { access: "VIEWER", input: MODEL },
  "model.batchScore": { access: "MEMBER", input: (f) => ({ ...VERSION(f), datasetVersionId: f.anyId }) },
  "model.batchJobs": { access: "VIEWER", input: VERSION },
  "model.batchJob": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, jobId: f.anyId }) },
};
