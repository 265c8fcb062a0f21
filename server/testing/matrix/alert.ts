/** Access-matrix entries of the alert router (see ../procedure-matrix.ts). */
import type { MatrixEntry, MatrixFixture } from "../procedure-matrix";

const CHANNEL = (f: MatrixFixture) => ({ orgId: f.orgId, channelId: f.anyId });

export const ALERT_MATRIX: Record<string, MatrixEntry> = {
  "alert.channels": { access: "VIEWER", input: (f) => ({ orgId: f.orgId }) },
  "alert.createChannel": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, name: "Matrix e-mail", config: { kind: "email", to: ["ops@example.test"] } }) },
  "alert.updateChannel": { access: "ADMIN", input: (f) => ({ ...CHANNEL(f), name: "renamed" }) },
  "alert.deleteChannel": { access: "ADMIN", input: CHANNEL },
  "alert.testChannel": { access: "ADMIN", input: CHANNEL },
  "alert.smtp": { access: "ADMIN", input: (f) => ({ orgId: f.orgId }) },
  "alert.setSmtp": { access: "ADMIN", input: (f) => ({ orgId: f.orgId, host: "smtp.example.test", port: 587, secure: false, from: "alerts@example.test" }) },
  "alert.incidents": { access: "VIEWER", input: (f) => ({ projectId: f.projectId }) },
  "alert.acknowledge": { access: "MEMBER", input: (f) => ({ projectId: f.projectId, incidentId: f.anyId }) },
};
