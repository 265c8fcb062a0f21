import { describe, expect, it } from "vitest";
import { chooseArm, keyBucket } from "./split";

const split = (strategy: string, candidatePercent: number, hasCandidate = true) => ({ deploymentId: "dep-1", strategy, candidatePercent, hasCandidate });

describe("chooseArm", () => {
  it("never routes to a missing candidate, to a shadow, or at 0 %; always at 100 %", () => {
    expect(chooseArm(split("canary", 50, false), undefined, () => 0)).toBe("stable");
    expect(chooseArm(split("shadow", 100), "k", () => 0)).toBe("stable");
    expect(chooseArm(split("canary", 0), undefined, () => 0)).toBe("stable");
    expect(chooseArm(split("blue_green", 100), undefined, () => 0.99)).toBe("candidate");
  });

  it("draws canary traffic at random by share", () => {
    expect(chooseArm(split("canary", 25), "k", () => 0.24)).toBe("candidate");
    expect(chooseArm(split("canary", 25), "k", () => 0.25)).toBe("stable");
  });

  it("assigns A/B by key hash, ignoring the random draw, and per deployment", () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    for (const key of keys.slice(0, 50)) {
      const arm = chooseArm(split("ab", 40), key, () => 0);
      expect(chooseArm(split("ab", 40), key, () => 0.99)).toBe(arm);
      expect(arm).toBe(keyBucket("dep-1", key) < 40 ? "candidate" : "stable");
    }
    const share = keys.filter((k) => chooseArm(split("ab", 40), k) === "candidate").length / keys.length;
    expect(share).toBeGreaterThan(0.36);
    expect(share).toBeLessThan(0.44);
    const moved = keys.filter((k) => keyBucket("dep-1", k) !== keyBucket("dep-2", k)).length;
    expect(moved).toBeGreaterThan(1800);
  });
});
