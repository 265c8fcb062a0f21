/** Tolerance checks shared by the server/ml tests; messages name the case so failures are readable. */
import { expect } from "vitest";

/** |actual − expected| ≤ abs + rel·|expected|; null and NaN must match exactly. */
export function expectClose(actual: number | null | undefined, expected: number | null, rel: number, abs = 0, label = ""): void {
  if (expected === null || Number.isNaN(expected)) {
    expect(actual === null || actual === undefined || Number.isNaN(actual), `${label}: expected ${expected}, got ${actual}`).toBe(true);
    return;
  }
  expect(actual, label).toBeTypeOf("number");
  const a = actual as number;
  if (!Number.isFinite(expected)) {
    expect(a, label).toBe(expected);
    return;
  }
  const tolerance = abs + rel * Math.abs(expected);
  expect(Math.abs(a - expected) <= tolerance, `${label}: ${a} vs ${expected} (tolerance ${tolerance})`).toBe(true);
}

/** A fixture written by fixtures/generate.py, typed by the caller (JSON imports are not type-checked). */
export async function loadFixture<T>(name: "stats" | "drift" | "profiles" | "monitor"): Promise<T> {
  const loaded = (await import(`./fixtures/${name}.json`)) as { default: T };
  return loaded.default;
}
