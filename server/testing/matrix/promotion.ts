/** Access-matrix entries of the promotion router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

export const PROMOTION_MATRIX: Record<string, MatrixEntry> = {};
