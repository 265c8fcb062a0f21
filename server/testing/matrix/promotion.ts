/** Access-matrix entries of the promotion router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

const VERSION = (f: { projectId: string; anyId: string }) => ({ projectId: f.projectId, versionId: f.anyId });

export const PROMOTION_MATRIX: Record<string, MatrixEntry> = {
  "promotion.status": { access: "VIEWER", input: VERSION },
  "promotion.approvals": { access: "VIEWER", input: VERSION },
  // MEMBER is the floor; each policy's min_role is checked by the service (server/promotion/promotion.int.test.ts).
  "promotion.approve": { access: "MEMBER", input: (f) => ({ ...VERSION(f), comment: "ok" }) },
  "promotion.reject": { access: "MEMBER", input: (f) => ({ ...VERSION(f), comment: "no" }) },
  "promotion.promote": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, modelId: f.anyId, versionId: f.anyId }) },
  "promotion.override": { access: "OWNER", input: (f) => ({ projectId: f.projectId, modelId: f.anyId, versionId: f.anyId, reason: "hotfix" }) },
  "promotion.rollback": { access: "ADMIN", input: (f) => ({ projectId: f.projectId, modelId: f.anyId }) },
};
