import { describe, expect, it } from "vitest";
import { getIn, parsePolicy, setIn } from "./policy-doc";

describe("policy document editing", () => {
  it("sets nested values in block style and keeps the author's comments", () => {
    const text = "# ours\napprovals:\n  required: 1 # one reviewer\nchecks: {}\n";
    const next = setIn(setIn(text, ["approvals", "required"], 2), ["checks", "champion", "min_effect"], 0.5);
    expect(next).toBe("# ours\napprovals:\n  required: 2 # one reviewer\nchecks:\n  champion:\n    min_effect: 0.5\n");
    const { doc } = parsePolicy(next);
    expect(getIn(doc!, ["checks", "champion"])).toEqual({ min_effect: 0.5 });
  });

  it("writes a value in plain style even where an empty quoted one stood", () => {
    expect(setIn('checks:\n  fairness:\n    column: ""\n', ["checks", "fairness", "column"], "region")).toBe("checks:\n  fairness:\n    column: region\n");
  });

  it("removes a key when the value is undefined", () => {
    expect(setIn("checks:\n  fairness:\n    column: region\n  data_validation: true\n", ["checks", "fairness"], undefined)).toBe("checks:\n  data_validation: true\n");
  });

  it("reports a syntax error with its line and leaves broken text alone", () => {
    const broken = "approvals:\n  required: 1\n checks: [\n";
    expect(parsePolicy(broken).error).toMatch(/^line 3: /);
    expect(setIn(broken, ["approvals", "required"], 3)).toBe(broken);
  });

  it("starts a document from empty text", () => {
    expect(setIn("", ["approvals", "required"], 1)).toBe("approvals:\n  required: 1\n");
  });
});
