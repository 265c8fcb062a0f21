/** The classification fixture's shape, shared by the binary-metric and curve tests. */
import { casesByName, loadMetricsFixture } from "./test-support";

export interface ThresholdCase {
  threshold: number;
  confusion: { tn: number; fp: number; fn: number; tp: number };
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationCase {
  name: string;
  yTrue: number[];
  scores: number[];
  positives: number;
  rocAuc: number | null;
  prAucSklearn: number;
  logLoss: number | null;
  rowLogLoss?: number[];
  roc?: { fpr: number[]; tpr: number[]; thresholds: number[] };
  pr?: { precision: number[]; recall: number[]; thresholds: number[] };
  calibration?: { fractionPositive: number[]; meanPredicted: number[]; counts: number[]; binIndex: number[] };
  atThreshold: ThresholdCase[];
}

/** The classification cases by name, and all of them in fixture order. */
export async function loadClassificationCases(): Promise<{ cases: ClassificationCase[]; get: (name: string) => ClassificationCase }> {
  const { cases } = await loadMetricsFixture<{ cases: ClassificationCase[] }>("classification");
  return casesByName("classification", cases);
}
