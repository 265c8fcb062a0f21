/** Access-matrix entries of the gate router (see ../procedure-matrix.ts). */
import type { MatrixEntry } from "../procedure-matrix";

export const GATE_MATRIX: Record<string, MatrixEntry> = {};
