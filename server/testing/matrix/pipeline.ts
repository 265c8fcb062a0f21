/** Access-matrix entries of the pipeline router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

export const PIPELINE_MATRIX: Record<string, MatrixEntry> = {};
