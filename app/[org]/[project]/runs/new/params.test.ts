import { describe, expect, it } from "vitest";
import { commandParamsOf, defaultDraft, paramErrors, paramsOf } from "./params";

describe("trainer params", () => {
  it("starts from the schema defaults, optional ones empty", () => {
    const draft = defaultDraft("gbdt");
    expect(draft.rounds).toBe("200");
    expect(draft.learningRate).toBe("0.1");
    expect(draft.task).toBe("regression");
    expect(draft.earlyStoppingRounds).toBe("");
    expect(defaultDraft("logistic")).toEqual({ alpha: "1", maxIter: "100" });
  });

  it("sends numbers as numbers, text the server should reject as text, and leaves empty fields out", () => {
    expect(paramsOf("gbdt", { ...defaultDraft("gbdt"), rounds: " 50 ", learningRate: "fast" })).toMatchObject({ rounds: 50, learningRate: "fast", task: "regression" });
    expect(paramsOf("gbdt", defaultDraft("gbdt"))).not.toHaveProperty("earlyStoppingRounds");
  });

  it("maps the server's params message to fields", () => {
    expect(paramErrors("Invalid gbdt params: rounds: Too small: expected number to be >=1; learningRate: Invalid input: expected number, received string")).toEqual({
      rounds: "Too small: expected number to be >=1",
      learningRate: "Invalid input: expected number, received string",
    });
    expect(paramErrors("Dataset version 2 is still being profiled")).toEqual({});
  });

  it("takes a JSON object for command params", () => {
    expect(commandParamsOf("")).toEqual({ params: {} });
    expect(commandParamsOf('{"epochs": 3}')).toEqual({ params: { epochs: 3 } });
    expect(commandParamsOf("[1]")).toHaveProperty("error");
    expect(commandParamsOf("{oops")).toHaveProperty("error");
  });
});
