import { describe, expect, it } from "vitest";
import { identifierName, pooledChiSquare, skipReason } from "./categorical-drift";
import { expectClose, loadFixture } from "./test-helpers";

interface PooledFixture {
  pooledChiSquare: {
    name: string;
    a: Record<string, number>;
    b: Record<string, number>;
    missingA: number;
    missingB: number;
    valid: boolean;
    pooled: string[];
    n1: number;
    n2: number;
    statistic?: number;
    pValue?: number;
    dof?: number;
  }[];
}

const fixture = await loadFixture<PooledFixture>("drift");

describe("pooledChiSquare", () => {
  it.each(fixture.pooledChiSquare)("$name matches scipy.stats.chi2_contingency on the pooled table", (c) => {
    const r = pooledChiSquare(new Map(Object.entries(c.a)), new Map(Object.entries(c.b)), c.missingA, c.missingB);
    expect(r.valid).toBe(c.valid);
    expect([r.n1, r.n2]).toEqual([c.n1, c.n2]);
    if (!r.valid) {
      expect(r.reason).toMatch(/expected count/);
      return;
    }
    expect([...r.pooled].sort()).toEqual(c.pooled);
    expect(r.dof).toBe(c.dof);
    expectClose(r.statistic, c.statistic!, 1e-10, 1e-12, "statistic");
    expectClose(r.pValue, c.pValue!, 1e-9, 1e-300, "pValue");
  });

  it("says why when one side has no values", () => {
    expect(pooledChiSquare(new Map([["a", 3]]), new Map())).toMatchObject({ valid: false, reason: "one version has no values" });
  });
});

describe("identifier and free-text columns", () => {
  it("recognises identifier names", () => {
    for (const n of ["id", "order_id", "ORDER_ID", "orderId", "customerID", "user-uuid", "session_key"]) expect(identifierName(n), n).toBe(true);
    for (const n of ["paid", "valid", "region", "monkey", "idle", "width"]) expect(identifierName(n), n).toBe(false);
  });

  it("skips all-distinct strings and free text, but not measurements or small categoricals", () => {
    expect(skipReason("order_ref", { kind: "categorical", type: "text", distinct: 990, nonMissing: 1000 })).toBe("identifier-like");
    expect(skipReason("comment", { kind: "categorical", type: "text", distinct: 400, nonMissing: 1000 })).toBe("free text");
    expect(skipReason("region", { kind: "categorical", type: "categorical", distinct: 4, nonMissing: 1000 })).toBeNull();
    expect(skipReason("income", { kind: "numeric", type: "numeric" })).toBeNull();
    expect(skipReason("order_id", { kind: "numeric", type: "integer" })).toBe("identifier-like");
    expect(skipReason("flag", { kind: "categorical", type: "boolean", distinct: 2, nonMissing: 2 })).toBeNull();
  });
});
