/** Access-matrix entries of the deployment router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

const P = (f: { projectId: string }) => ({ projectId: f.projectId });
const DEP = (f: { projectId: string; anyId: string }) => ({ projectId: f.projectId, deploymentId: f.anyId });

export const DEPLOYMENT_MATRIX: Record<string, MatrixEntry> = {
  "deployment.environments": { access: "VIEWER", input: P },
  "deployment.createEnvironment": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, name: "matrix-env", requires: "none" }) },
  "deployment.updateEnvironment": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, environmentId: f.anyId, requires: "approved" }) },
  "deployment.deleteEnvironment": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, environmentId: f.anyId }) },
  "deployment.list": { access: "VIEWER", input: P },
  "deployment.get": { access: "VIEWER", input: DEP },
  "deployment.ledger": { access: "VIEWER", input: DEP },
  "deployment.verifyLedger": { access: "VIEWER", input: DEP },
  "deployment.servingUrl": { access: "VIEWER", input: P },
  "deployment.shadow": { access: "VIEWER", input: DEP },
  "deployment.ab": { access: "VIEWER", input: DEP },
  "deployment.create": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, environment: "staging", name: "matrix-dep", modelId: f.anyId }) },
  "deployment.replace": { access: "ADMIN", input: (f) => ({ ...DEP(f), versionId: f.anyId }) },
  "deployment.setCandidate": { access: "ADMIN", input: (f) => ({ ...DEP(f), versionId: f.anyId, strategy: "canary", candidatePercent: 5 }) },
  "deployment.switch": { access: "ADMIN", input: DEP },
  "deployment.pause": { access: "ADMIN", input: DEP },
  "deployment.resume": { access: "ADMIN", input: DEP },
  "deployment.abort": { access: "ADMIN", input: DEP },
  "deployment.promote": { access: "ADMIN", input: DEP },
  "deployment.rollback": { access: "ADMIN", input: (f) => ({ ...DEP(f), reason: "matrix" }) },
  "deployment.advance": { access: "ADMIN", input: DEP },
  "deployment.health": { access: "VIEWER", input: (f) => ({ ...DEP(f), minutes: 30 }) },
};
