/** Access-matrix entries of the pipeline router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

const P = (f: { projectId: string }) => ({ projectId: f.projectId });
const PIPE = (f: { projectId: string; anyId: string }) => ({ projectId: f.projectId, pipelineId: f.anyId });
const RUN = (f: { projectId: string; anyId: string }) => ({ projectId: f.projectId, runId: f.anyId });
const YAML = "name: matrix\nsteps:\n  - { id: gate, uses: gate }\n";

export const PIPELINE_MATRIX: Record<string, MatrixEntry> = {
  "pipeline.list": { access: "VIEWER", input: P },
  "pipeline.get": { access: "VIEWER", input: PIPE },
  "pipeline.revision": { access: "VIEWER", input: (f) => ({ ...PIPE(f), number: 1 }) },
  "pipeline.validate": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, yaml: YAML }) },
  "pipeline.save": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, yaml: YAML }) },
  "pipeline.archive": { access: "MEMBER", input: PIPE },
  "pipeline.webhook": { access: "ADMIN", input: PIPE },
  "pipeline.rotateWebhookSecret": { access: "ADMIN", input: PIPE },
  "pipeline.run": { access: "MEMBER", input: (f) => ({ ...PIPE(f), params: {} }) },
  "pipeline.runs": { access: "VIEWER", input: P },
  "pipeline.runGet": { access: "VIEWER", input: RUN },
  "pipeline.cancelRun": { access: "MEMBER", input: RUN },
  "pipeline.retryStep": { access: "MEMBER", input: (f) => ({ ...RUN(f), stepId: "train" }) },
};
