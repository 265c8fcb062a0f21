import { describe, expect, it } from "vitest";
import { ZPipelineSpec } from "../spec";
import { canonicalJson } from "../cache";
import { substituteParams, upstream } from "./inputs";
import type { StepContext } from "./types";
import { ancestorsOf, decide, dependentsOf, stepNeeds, type StepState } from "./plan";

const spec = ZPipelineSpec.parse({
  name: "p",
  steps: [
    { id: "validate", uses: "validate-data", with: { dataset: "d" } },
    { id: "train", uses: "train", with: { trainer: "gbdt", target: "y" } },
    { id: "register", uses: "register", with: { model: "m" } },
    { id: "gate", uses: "gate" },
    { id: "deploy", uses: "deploy", if: "gate.passed", with: { deployment: "x" } },
    { id: "notify", uses: "register", needs: ["gate"], if: "gate.failed", with: { model: "rejected" } },
    { id: "always", uses: "register", needs: ["train"], if: "always", with: { model: "a" } },
  ],
});
const step = (id: string) => spec.steps.find((s) => s.id === id)!;
const states = (o: Record<string, StepState["status"] | [StepState["status"], boolean]>) =>
  new Map(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? { status: v[0], passed: v[1] } : { status: v }]));

describe("pipeline scheduling rules", () => {
  it("a step runs after the one written before it unless it names its needs", () => {
    expect(stepNeeds(spec, "validate")).toEqual([]);
    expect(stepNeeds(spec, "train")).toEqual(["validate"]);
    expect(stepNeeds(spec, "notify")).toEqual(["gate"]);
  });

  it("waits while a need is unfinished, runs when all SUCCEEDED or CACHED, skips naming the need that did not", () => {
    expect(decide(spec, step("train"), states({ validate: "RUNNING" }))).toEqual({ kind: "wait" });
    expect(decide(spec, step("train"), states({ validate: "CACHED" }))).toEqual({ kind: "run" });
    expect(decide(spec, step("register"), states({ train: "FAILED" }))).toEqual({ kind: "skip", reason: "skipped: train FAILED" });
    expect(decide(spec, step("register"), states({ train: "SKIPPED" }))).toEqual({ kind: "skip", reason: "skipped: train SKIPPED" });
  });

  it("evaluates gate.passed, gate.failed and always once what they read is done", () => {
    expect(decide(spec, step("deploy"), states({ gate: "RUNNING" }))).toEqual({ kind: "wait" });
    expect(decide(spec, step("deploy"), states({ gate: ["SUCCEEDED", true] }))).toEqual({ kind: "run" });
    expect(decide(spec, step("deploy"), states({ gate: ["FAILED", false] }))).toEqual({ kind: "skip", reason: "skipped: gate.passed is false (gate FAILED)" });
    expect(decide(spec, step("notify"), states({ gate: ["FAILED", false] }))).toEqual({ kind: "run" });
    expect(decide(spec, step("notify"), states({ gate: ["SUCCEEDED", true] }))).toMatchObject({ kind: "skip" });
    expect(decide(spec, step("always"), states({ train: "FAILED" }))).toEqual({ kind: "run" });
    expect(decide(spec, step("always"), states({ train: "RUNNING" }))).toEqual({ kind: "wait" });
  });

  it("finds the steps that wait on a step, directly or through others", () => {
    expect([...dependentsOf(spec, "gate")].sort()).toEqual(["deploy", "notify"]);
    expect([...dependentsOf(spec, "train")].sort()).toEqual(["always", "deploy", "gate", "notify", "register"]);
  });
});

describe("inputs from earlier steps", () => {
  it("come from the steps a step waits on before a nearer parallel branch", () => {
    expect([...ancestorsOf(spec, "deploy")].sort()).toEqual(["gate", "register", "train", "validate"]);
    expect([...ancestorsOf(spec, "always")].sort()).toEqual(["train", "validate"]);
    const ctx = {
      step: step("deploy"),
      earlier: [
        { stepId: "register", kind: "register", outputs: { modelVersionId: "mine" }, ancestor: true },
        { stepId: "notify", kind: "register", outputs: { modelVersionId: "other-branch" }, ancestor: false },
      ],
    } as unknown as StepContext;
    expect(upstream(ctx, "modelVersionId", "a version")).toBe("mine");
    expect(upstream({ ...ctx, earlier: ctx.earlier.slice(1) }, "modelVersionId", "a version")).toBe("other-branch");
    expect(() => upstream(ctx, "runId", "a trained run")).toThrow("Step deploy needs a trained run from an earlier step, and none produced one");
  });
});

describe("params in `with`", () => {
  it("a whole placeholder takes the param's type; inside text it is written out; an unknown param is refused", () => {
    const params = { rounds: 200, lr: 0.1, on: true, env: "prod" };
    expect(substituteParams({ a: "${{ params.rounds }}", b: ["x-${{params.env}}-${{ params.lr }}"], c: "${{ params.on }}", d: 3 }, params)).toEqual({ a: 200, b: ["x-prod-0.1"], c: true, d: 3 });
    expect(() => substituteParams({ a: "${{ params.nope }}" }, params)).toThrow('Unknown param "nope"');
  });
});

describe("cache keys", () => {
  it("canonical JSON does not depend on key order and drops undefined keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(canonicalJson({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
  });
});
