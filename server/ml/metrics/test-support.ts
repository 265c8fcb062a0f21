/** Fixture loading and metric assertions shared by the metrics tests. */
import { expect } from "vitest";
import { expectClose } from "../test-helpers";
import type { MetricResult } from "./types";

/** Relative tolerance against the sklearn references: they differ only by summation order. */
export const REL = 1e-9;
/** Absolute floor for values that are (near) zero, where a relative bound means nothing. */
export const ABS = 1e-12;

/** A fixture written by fixtures/generate.py, typed by the caller (JSON imports are not type-checked). */
export async function loadMetricsFixture<T>(name: "regression" | "classification" | "slices" | "fairness"): Promise<T> {
  const loaded = (await import(`./fixtures/${name}.json`)) as { default: T };
  return loaded.default;
}

/** Fixture cases with a lookup by name that fails loudly on a name the fixture lacks. */
export function casesByName<T extends { name: string }>(fixture: string, cases: T[]): { cases: T[]; get: (name: string) => T } {
  const byName = new Map(cases.map((c) => [c.name, c] as const));
  return {
    cases,
    get: (name) => {
      const c = byName.get(name);
      if (!c) throw new Error(`no ${fixture} case ${name}`);
      return c;
    },
  };
}

/** A case of the regression fixture (fixtures/generate.py). */
export interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  rmse: number;
  mae: number;
  mape: number;
  r2: number | null;
  histogram: { edges: number[]; counts: number[] };
}

/** The regression cases by name, and all of them in fixture order. */
export async function loadRegressionCases(): Promise<{ cases: RegressionCase[]; get: (name: string) => RegressionCase }> {
  const { cases } = await loadMetricsFixture<{ cases: RegressionCase[] }>("regression");
  return casesByName("regression", cases);
}

/** The metric is defined and close to `expected`, or undefined with a reason when `expected` is null. */
export function expectMetric(actual: MetricResult, expected: number | null, label: string): void {
  if (expected === null) {
    expect(actual.value, `${label}: expected undefined`).toBeNull();
    expect(actual.reason, `${label}: reason`).toMatch(/\w/);
    return;
  }
  expect(actual.reason, `${label}: reason`).toBeNull();
  expectClose(actual.value, expected, REL, ABS, label);
}

/** Element-wise closeness of two numeric series of equal length. */
export function expectAllClose(actual: readonly (number | null)[], expected: readonly number[], label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  expected.forEach((e, i) => expectClose(actual[i], e, REL, ABS, `${label}[${i}]`));
}

/** Paths of every number in a JSON-like value that JSON cannot represent (NaN, ±Infinity). */
export function nonFiniteNumbers(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  return [];
}
