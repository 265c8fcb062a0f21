import { describe, expect, it } from "vitest";
import { ZRuleFields } from "@/server/monitoring/schemas";
import { conditionWords, EMPTY_RULE, retrainWords, ruleDraft, ruleInput } from "./rule-draft";

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
    const input = ruleInput({ ...EMPTY_RULE, name: "drift", on: "feature", feature: "distance_km", cooldownMinutes: "15", retrainKind: "pipeline", retrainPipeline: "retrain", maxRunsPerDay: "2", retrainCooldownHours: "6" });
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
      generatedPipeline: null,
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

  it("turns a training spec into a training action the server accepts, and reads it back", () => {
    const draft = { ...EMPTY_RULE, name: "retrain", retrainKind: "training" as const, trainer: "gbdt" as const, target: "minutes", exclude: "delivery_id, driver_id", params: '{"rounds": 20}', canarySteps: "10, 50, 100", bakeMinutes: "10" };
    const parsed = ZRuleFields.parse(ruleInput(draft));
    expect(parsed.action).toEqual({
      retrain: {
        training: { trainer: "gbdt", target: "minutes", exclude: ["delivery_id", "driver_id"], params: { rounds: 20 } },
        deploy: { strategy: "canary", steps: [10, 50, 100], bakeSeconds: 600 },
      },
    });
    const stored = { id: "r2", monitorId: "m1", name: "retrain", condition: { on: "data_drift" as const }, channelIds: [], cooldownSeconds: 3600, severity: "warning" as const, action: parsed.action, generatedPipeline: "eta-retrain-r2", budget: { maxRunsPerDay: 1 }, retrainCooldownSeconds: 86400, lastRetrainAt: null, enabled: true, createdAt: new Date() };
    const back = ruleDraft(stored);
    expect(back).toMatchObject({ retrainKind: "training", trainer: "gbdt", target: "minutes", exclude: "delivery_id, driver_id", dataset: "", deploy: "canary", canarySteps: "10, 50, 100", bakeMinutes: "10" });
    expect(ZRuleFields.parse(ruleInput(back)).action).toEqual(parsed.action);
    expect(retrainWords(stored)).toBe("retrains gbdt on the training data → gate → canary via eta-retrain-r2 (≤ 1/day, 24 h apart)");
  });

  it("sends what cannot be read as typed, so the server's message names the field", () => {
    const noDeploy = ZRuleFields.parse(ruleInput({ ...EMPTY_RULE, name: "r", retrainKind: "training", trainer: "ridge", target: "y", deploy: "none" }));
    expect(noDeploy.action).toEqual({ retrain: { training: { trainer: "ridge", target: "y", params: {} }, deploy: null } });
    const badParams = ZRuleFields.safeParse(ruleInput({ ...EMPTY_RULE, name: "r", retrainKind: "training", target: "y", params: "{rounds: 20" }));
    expect(badParams.error?.issues.map((i) => i.path.join("."))).toEqual(["action.retrain.training.params"]);
    const badSteps = ZRuleFields.safeParse(ruleInput({ ...EMPTY_RULE, name: "r", retrainKind: "training", target: "y", canarySteps: "10, lots" }));
    expect(badSteps.error?.issues.map((i) => i.path.join("."))).toEqual(["action.retrain.deploy.steps.1"]);
    const noTarget = ZRuleFields.safeParse(ruleInput({ ...EMPTY_RULE, name: "r", retrainKind: "training" }));
    expect(noTarget.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)[0]).toMatch(/^action\.retrain\.training\.target: /);
    expect(ruleInput({ ...EMPTY_RULE, name: "r", retrainPipeline: "leftover" }).action).toBeNull();
  });
});
