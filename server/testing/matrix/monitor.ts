/** Access-matrix entries of the monitor router (see ../procedure-matrix.ts). */
import type { MatrixEntry, MatrixFixture } from "../procedure-matrix";

const M = (f: MatrixFixture) => ({ projectId: f.projectId, name: "matrix-monitor" });
const RULE = { name: "drift", condition: { on: "data_drift" } };

export const MONITOR_MATRIX: Record<string, MatrixEntry> = {
  "monitor.list": { access: "VIEWER", input: (f) => ({ projectId: f.projectId }) },
  "monitor.get": { access: "VIEWER", input: M },
  "monitor.update": { access: "MEMBER", input: (f) => ({ ...M(f), patch: { alpha: 0.01 } }) },
  "monitor.reports": { access: "VIEWER", input: M },
  "monitor.report": { access: "VIEWER", input: (f) => ({ ...M(f), reportId: f.anyId }) },
  "monitor.runNow": { access: "MEMBER", input: M },
  "monitor.rules": { access: "VIEWER", input: M },
  "monitor.createRule": { access: "MEMBER", input: (f) => ({ ...M(f), rule: RULE }) },
  "monitor.updateRule": { access: "MEMBER", input: (f) => ({ ...M(f), ruleId: f.anyId, rule: RULE }) },
  "monitor.deleteRule": { access: "MEMBER", input: (f) => ({ ...M(f), ruleId: f.anyId }) },
  "monitor.chain": { access: "VIEWER", input: (f) => ({ projectId: f.projectId, incidentId: f.anyId }) },
};
