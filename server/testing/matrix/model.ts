/** Access-matrix entries of the model router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

export const MODEL_MATRIX: Record<string, MatrixEntry> = {};
