/** Access-matrix entries of the gate router (see ../procedure-matrix.ts). */
import type { MatrixEntry, MatrixFixture } from "../procedure-matrix";

const MODEL = (f: MatrixFixture) => ({ projectId: f.projectId, modelId: f.anyId });
const VERSION = (f: MatrixFixture) => ({ projectId: f.projectId, versionId: f.anyId });

export const GATE_MATRIX: Record<string, MatrixEntry> = {
  "gate.policy": { access: "VIEWER", input: MODEL },
  "gate.revisions": { access: "VIEWER", input: MODEL },
  "gate.diff": { access: "VIEWER", input: (f) => ({ ...MODEL(f), from: 0, to: 1 }) },
  "gate.savePolicy": { access: "ADMIN", input: (f) => ({ ...MODEL(f), yaml: "checks:\n  data_validation: true\n" }) },
  "gate.defaultPolicy": { access: "VIEWER", input: MODEL },
  "gate.run": { access: "MEMBER", input: VERSION },
  "gate.reports": { access: "VIEWER", input: VERSION },
  "gate.report": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, reportId: f.anyId }) },
  "gate.compare": { access: "VIEWER", input: (f) => ({ ...VERSION(f), otherVersionId: f.anyId }) },
};
