import { describe, expect, it } from "vitest";
import { defaultPolicy, parsePolicyObject, parsePolicyYaml, policyToYaml } from "./policy";

const EXAMPLE = `# Gate policy of the deliveries model
approvals:
  required: 1
  min_role: ADMIN
data:
  split: test
checks:
  thresholds:
    - metric: rmse
      max: 6.0
  relative:
    - metric: mae
      better_by: 2%
  champion:
    mode: superiority
    metrics: [rmse, mae]
    min_effect: 0
    confidence: 0.95
    resamples: 10000
    seed: 7
  fairness:
    column: region
    metric: mae
    max_gap: 3
    min_group_size: 30
  data_validation: true
  robustness:
    max_degradation: 50%
  budgets:
    p95_single_ms: 50
    p95_batch_1000_ms: 2000
    max_size_mb: 20
  signature:
    allow_breaking: false
`;

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error("expected an error");
};

describe("parsePolicyYaml", () => {
  it("reads a full policy with defaults and percentages", () => {
    const p = parsePolicyYaml(EXAMPLE, "regression");
    expect(p.approvals).toEqual({ required: 1, min_role: "ADMIN" });
    expect(p.checks.relative).toEqual([{ metric: "mae", better_by: 0.02 }]);
    expect(p.checks.champion).toEqual({ mode: "superiority", metrics: ["rmse", "mae"], min_effect: 0, confidence: 0.95, resamples: 10000, seed: 7, alpha: 0.05 });
    expect(p.checks.fairness).toMatchObject({ column: "region", max_gap: 3, min_group_size: 30, confidence: 0.95 });
    expect(p.checks.robustness).toEqual({ max_degradation: 0.5 });
    expect(p.data).toEqual({ split: "test", threshold: 0.5 });
  });

  it("names the line and path of a bad enum value", () => {
    const bad = EXAMPLE.replace("mode: superiority", "mode: better");
    const err = message(() => parsePolicyYaml(bad, "regression"));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/^line 15 \(checks\.champion\.mode\): Invalid option/);
  });

  it("names the line of a metric that does not fit the task, an unknown key, a wrong type and a YAML syntax error", () => {
    expect(message(() => parsePolicyYaml(EXAMPLE, "binary")).message).toMatch(/^line 9 \(checks\.thresholds\.0\.metric\): metric "rmse" is not one of accuracy, precision/);
    expect(message(() => parsePolicyYaml(EXAMPLE.replace("  data_validation: true", "  data_validaton: true"), "regression")).message).toMatch(/^line 26 \(checks\.data_validaton\): Unrecognized key/);
    expect(message(() => parsePolicyYaml(EXAMPLE.replace("max_gap: 3", "max_gap: lots"), "regression")).message).toMatch(/^line 24 \(checks\.fairness\.max_gap\): Invalid input: expected number/);
    expect(message(() => parsePolicyYaml(EXAMPLE.replace("better_by: 2%", "better_by: two percent"), "regression")).message).toMatch(/^line 13 \(checks\.relative\.0\.better_by\)/);
    expect(message(() => parsePolicyYaml("approvals:\n  required: 1\n\tmin_role: ADMIN\n", "regression")).message).toMatch(/^line 3: Tabs are not allowed/);
    expect(message(() => parsePolicyYaml("data:\n  split: test\napprovals:\n  required: 1\n  required: 2\n", "regression")).message).toMatch(/^line 5: Map keys must be unique/);
    expect(message(() => parsePolicyYaml("checks:\n  champion:\n    mode: non_inferiority\n", "regression")).message).toMatch(/^line 3 \(checks\.champion\.mode\): non_inferiority needs a margin/);
    expect(message(() => parsePolicyYaml("- a\n- b\n", "regression")).message).toMatch(/^line 1: a policy is a mapping/);
    expect(message(() => parsePolicyYaml("\n".repeat(2000) + "checks: {}\n", "regression"))).toEqual({ code: "BAD_REQUEST", message: "A policy has at most 2000 lines" });
  });

  it("reports a missing required key at its parent's line with the full path", () => {
    const text = "checks:\n  fairness:\n    column: region\n";
    expect(message(() => parsePolicyYaml(text, "regression")).message).toMatch(/^line 3 \(checks\.fairness\.max_gap\): Invalid input/);
  });

  it("an empty policy is all defaults and checks nothing", () => {
    expect(parsePolicyYaml("", "binary")).toEqual({ approvals: { required: 1, min_role: "ADMIN" }, data: { split: "test", threshold: 0.5 }, checks: {} });
  });
});

describe("policyToYaml", () => {
  it("round-trips the form's policy through YAML", () => {
    for (const task of ["regression", "binary"] as const) {
      const p = defaultPolicy(task);
      expect(parsePolicyYaml(policyToYaml(p), task)).toEqual(p);
    }
    const full = parsePolicyYaml(EXAMPLE, "regression");
    expect(parsePolicyYaml(policyToYaml(full), "regression")).toEqual(full);
  });

  it("the default policy gates on the task's headline metric", () => {
    expect(defaultPolicy("binary").checks.champion?.metrics).toEqual(["rocAuc"]);
    expect(defaultPolicy("regression").checks).toMatchObject({ data_validation: true, signature: { allow_breaking: false } });
    expect(message(() => parsePolicyObject({ checks: { champion: { metrics: ["r2"] } } }, "regression")).message).toMatch(/checks\.champion\.metrics\.0: champion metric "r2" is not one of rmse, mae/);
  });
});

describe("the README's policy", () => {
  it("parses as a regression policy", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Gate policies"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const p = parsePolicyYaml(yaml, "regression");
    expect(p.checks.champion).toMatchObject({ mode: "superiority", metrics: ["rmse", "mae"], resamples: 10000, seed: 7 });
    expect(p.checks.robustness).toEqual({ max_degradation: 0.5 });
    expect(message(() => parsePolicyYaml(yaml.replace("mode: superiority", "mode: best"), "regression")).message).toMatch(/^line 14 \(checks\.champion\.mode\): Invalid option: expected one of "superiority"\|"non_inferiority"/);
  });
});
