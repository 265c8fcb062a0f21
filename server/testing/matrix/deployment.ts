/** Access-matrix entries of the deployment router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

export const DEPLOYMENT_MATRIX: Record<string, MatrixEntry> = {};
