/**
 * Which columns a distribution test means something for, and the chi-square test with its validity
 * condition. An identifier (order_id) or free text differs between any two versions by construction;
 * testing it only produces false alarms.
 */
import { chiSquareTest, type ChiSquareResult } from "./drift";

/** A string column whose distinct values cover this share of its non-missing rows names rows, not groups. */
export const IDENTIFIER_DISTINCT_SHARE = 0.95;
/** Below this many non-missing rows the distinct share says nothing. */
const IDENTIFIER_MIN_ROWS = 20;
/** Cochran's rule: every expected count of the table at least this large. */
export const MIN_EXPECTED_COUNT = 5;
/** Label of the bucket that pools categories with too small expected counts. */
export const POOLED_LABEL = "(other)";
export const MISSING_LABEL = "(missing)";

// id, uuid, guid, key as a whole name or a snake/kebab-case suffix (order_id, user-uuid), or a
// camelCase suffix (orderId); case matters there, so "paid" is not "pa" + "id".
const IDENTIFIER_SUFFIX = /(^|[_\-\s.])(id|uuid|guid|key)$/i;
const IDENTIFIER_CAMEL = /[a-z0-9](Id|ID|Uuid|UUID|Key)$/;

export type SkipReason = "identifier-like" | "free text";

/** True for names like id, order_id, orderId, customer-uuid. */
export function identifierName(name: string): boolean {
  return IDENTIFIER_SUFFIX.test(name) || IDENTIFIER_CAMEL.test(name);
}

/**
 * Why no distribution test applies to a column, or null. Numeric columns are skipped by name only
 * (a continuous measurement is all-distinct too); string columns also by their distinct share, and
 * high-cardinality strings that are not identifiers are free text.
 */
export function skipReason(name: string, column: { kind: "numeric" | "categorical"; type: string; distinct?: number; nonMissing?: number }): SkipReason | null {
  if (identifierName(name)) return "identifier-like";
  if (column.kind === "numeric" || column.type === "boolean") return null;
  const n = column.nonMissing ?? 0;
  if (n >= IDENTIFIER_MIN_ROWS && (column.distinct ?? 0) >= IDENTIFIER_DISTINCT_SHARE * n) return "identifier-like";
  return column.type === "text" ? "free text" : null;
}

export type PooledChiSquare =
  | (ChiSquareResult & { valid: true; n1: number; n2: number; pooled: string[] })
  | { valid: false; reason: string; n1: number; n2: number };

/**
 * Pearson chi-square on the 2×k table of two category count maps (missing values as the category
 * "(missing)"), as scipy.stats.chi2_contingency(correction=False) on the table after pooling:
 * categories whose smaller expected count is below 5 go into "(other)", smallest column total first,
 * and while "(other)" itself is below 5 the smallest remaining category joins it. With fewer than two
 * columns left the test is not valid and the reason says why.
 */
export function pooledChiSquare(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, missingA = 0, missingB = 0): PooledChiSquare {
  const table = new Map<string, [number, number]>();
  const add = (k: string, i: 0 | 1, c: number) => {
    if (c <= 0) return;
    const row = table.get(k) ?? [0, 0];
    row[i] += c;
    table.set(k, row);
  };
  for (const [k, c] of a) add(k, 0, c);
  for (const [k, c] of b) add(k, 1, c);
  add(MISSING_LABEL, 0, missingA);
  add(MISSING_LABEL, 1, missingB);
  let n1 = 0;
  let n2 = 0;
  for (const [x, y] of table.values()) {
    n1 += x;
    n2 += y;
  }
  if (n1 === 0 || n2 === 0) return { valid: false, reason: "one version has no values", n1, n2 };
  const total = n1 + n2;
  const smaller = Math.min(n1, n2);
  const tooSmall = (column: number) => (column * smaller) / total < MIN_EXPECTED_COUNT;
  // Ascending by column total, ties by name, so pooling is deterministic.
  const order = [...table.entries()].sort((x, y) => x[1][0] + x[1][1] - (y[1][0] + y[1][1]) || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const pooled: string[] = [];
  const other: [number, number] = [0, 0];
  let next = 0;
  while (next < order.length && tooSmall(order[next]![1][0] + order[next]![1][1])) {
    const [k, [x, y]] = order[next++]!;
    pooled.push(k);
    other[0] += x;
    other[1] += y;
  }
  while (pooled.length > 0 && tooSmall(other[0] + other[1]) && next < order.length) {
    const [k, [x, y]] = order[next++]!;
    pooled.push(k);
    other[0] += x;
    other[1] += y;
  }
  const countsA: Record<string, number> = {};
  const countsB: Record<string, number> = {};
  for (const [k, [x, y]] of order.slice(next)) {
    countsA[`=${k}`] = x;
    countsB[`=${k}`] = y;
  }
  if (pooled.length > 0) {
    countsA[POOLED_LABEL] = other[0];
    countsB[POOLED_LABEL] = other[1];
  }
  const columns = order.length - next + (pooled.length > 0 ? 1 : 0);
  if (columns < 2 || (pooled.length > 0 && tooSmall(other[0] + other[1]))) {
    return { valid: false, reason: `too few rows per category: an expected count stays below ${MIN_EXPECTED_COUNT} after pooling`, n1, n2 };
  }
  return { ...chiSquareTest(countsA, countsB), valid: true, n1, n2, pooled };
}
