import { describe, expect, it } from "vitest";
import { ZRuleFields } from "@/server/monitoring/schemas";
import { conditionWords, EMPTY_RULE, ruleDraft, ruleInput } from "./rule-draft";

describe("rule form drafts", () => {
  it("sends blank bounds as unset, so the server names the missing one", () => {
    const input = ruleInput({ ...EMPTY_RULE, name: "rmse-high", on: "concept", metric: "rmse" });
    expect(input.condition).toEqual({ on: "concept", metric: "rmse", min: undefined, max: undefined });
    expect(input.action).toBeNull();
    const parsed = ZRuleFields.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual(["condition.min: a concept rule needs min or max"]);
  });

  it("converts minutes and hours to seconds and a pipeline name to a retrain action the server accepts", () => {
    const input = ruleInput({ ...EMPTY_RULE, name: "drift", on: "feature", feature: "distance_km", cooldownMinutes: "15", retrainPipeline: "retrain", maxRunsPerDay: "2", retrainCooldownHours: "6" });
    const parsed = ZRuleFields.parse(input);
    expect(parsed).toMatchObject({ condition: { on: "feature", feature: "distance_km" }, cooldownSeconds: 900, action: { retrain: { pipeline: "retrain" } }, budget: { maxRunsPerDay: 2 }, retrainCooldownSeconds: 21600 });
  });

  it("reads a stored rule back into the same form", () => {
    const rule = {
      id: "r1",
      monitorId: "m1",
      name: "slow",
      condition: { on: "latency" as const, p95Ms: 250 },
      channelIds: ["c1"],
      cooldownSeconds: 1800,
      severity: "critical" as const,
      action: null,
      budget: { maxRunsPerDay: 1 },
      retrainCooldownSeconds: 86400,
      lastRetrainAt: null,
      enabled: false,
      createdAt: new Date(),
    };
    const draft = ruleDraft(rule);
    expect(draft).toMatchObject({ name: "slow", on: "latency", p95Ms: "250", cooldownMinutes: "30", severity: "critical", channelIds: ["c1"], enabled: false });
    expect(ZRuleFields.parse(ruleInput(draft)).condition).toEqual({ on: "latency", p95Ms: 250 });
    expect(conditionWords(rule.condition)).toBe("p95 latency > 250 ms");
    expect(conditionWords({ on: "concept", metric: "rmse", max: 8 })).toBe("rmse > 8");
  });
});
