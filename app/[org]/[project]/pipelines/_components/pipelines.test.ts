import { describe, expect, it } from "vitest";
import { BOX, boxWidthFor, depths, layoutDag } from "./dag-layout";
import { paramValue, specParams } from "./params";
// A test, not UI code: the template is checked by the very checker pipeline.validate and save run on the server.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { validatePipelineYaml } from "@/server/pipelines/yaml";
import { stepLinks } from "./step-links";
import { pipelineTemplate } from "./template";
import { formatDuration, formatUtc, triggerWords } from "./words";

describe("pipeline DAG layout", () => {
  const chain = [
    { id: "validate", needs: [] },
    { id: "train", needs: ["validate"] },
    { id: "evaluate", needs: ["train"] },
    { id: "notify", needs: ["validate"] },
    { id: "gate", needs: ["evaluate", "notify"] },
  ];

  it("puts a step one column right of the deepest step it needs", () => {
    expect(Object.fromEntries(depths(chain))).toEqual({ validate: 0, train: 1, evaluate: 2, notify: 1, gate: 3 });
  });

  it("stacks steps of one depth in written order and draws one edge per need", () => {
    const layout = layoutDag(chain);
    const notify = layout.nodes.find((n) => n.node.id === "notify")!;
    expect([notify.depth, notify.row]).toEqual([1, 1]);
    expect(notify.y).toBe(BOX.height + BOX.gapY);
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toEqual(["validate>train", "train>evaluate", "validate>notify", "evaluate>gate", "notify>gate"]);
    expect(layout.width).toBe(4 * BOX.width + 3 * BOX.gapX);
    expect(layout.height).toBe(2 * BOX.height + BOX.gapY);
  });

  it("narrows the boxes so a six-step chain fits the page, but not below a readable width", () => {
    expect(boxWidthFor(2000, 6)).toBe(BOX.width);
    const w = boxWidthFor(960, 6);
    expect(6 * w + 5 * BOX.gapX).toBeLessThanOrEqual(960);
    expect(w).toBeGreaterThan(BOX.minWidth);
    expect(boxWidthFor(300, 6)).toBe(BOX.minWidth);
    const layout = layoutDag(chain, 150);
    expect(layout.nodes.find((n) => n.node.id === "gate")!.x).toBe(3 * (150 + BOX.gapX));
    expect(layout.width).toBe(4 * 150 + 3 * BOX.gapX);
  });

  it("survives a need that names no step and a cycle (the editor draws while the YAML is still wrong)", () => {
    const d = depths([
      { id: "a", needs: ["missing"] },
      { id: "b", needs: ["c"] },
      { id: "c", needs: ["b"] },
    ]);
    expect(d.get("a")).toBe(0);
    expect(d.get("b")).toBeGreaterThanOrEqual(0);
    expect(layoutDag([{ id: "a", needs: ["missing"] }]).edges).toEqual([]);
  });
});

describe("pipeline words", () => {
  it("says triggers in words", () => {
    expect(triggerWords({ kind: "dataset", detail: "deliveries" })).toBe("every new version of deliveries");
    expect(triggerWords({ kind: "cron", detail: "0 3 * * *" })).toBe("cron 0 3 * * * (UTC)");
    expect(triggerWords({ kind: "push", detail: "main, release" })).toBe("git push to main, release");
    expect(triggerWords({ kind: "push", detail: "any branch" })).toBe("git push to any branch");
    expect(triggerWords({ kind: "monitor", detail: "eta-drift" })).toBe("alert of monitor eta-drift");
  });

  it("formats durations and UTC instants", () => {
    expect(formatDuration(420)).toBe("420 ms");
    expect(formatDuration(4_200)).toBe("4.2 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
    expect(formatDuration(3_720_000)).toBe("1 h 2 min");
    expect(formatUtc("2026-11-30T03:00:00.000Z")).toBe("Mon 30 Nov, 03:00 UTC");
  });
});

describe("links to what a step produced", () => {
  const base = "/acme/eta";
  const train = { outputs: { runId: "run1" } };
  const register = { outputs: { runId: "run1", modelId: "m1", modelName: "eta-gbdt", modelVersionId: "v1", modelVersion: 3 } };

  it("links a training run, and an evaluation on the run an earlier step trained", () => {
    expect(stepLinks(train, [train], base)).toEqual([{ label: "Training run", href: "/acme/eta/runs/run1" }]);
    const evaluate = { outputs: { runId: "run1", evaluationId: "ev1" } };
    expect(stepLinks(evaluate, [train, evaluate], base)).toEqual([{ label: "Evaluation report", href: "/acme/eta/runs/run1/evaluations/ev1" }]);
  });

  it("links the gate report on the page of the version an earlier step registered", () => {
    expect(stepLinks(register, [train, register], base)).toEqual([{ label: "Model version eta-gbdt v3", href: "/acme/eta/models/eta-gbdt/versions/3" }]);
    const gate = { outputs: { gateReportId: "g1", modelVersionId: "v1", passed: true } };
    expect(stepLinks(gate, [train, register, gate], base)).toEqual([{ label: "Gate report (eta-gbdt v3)", href: "/acme/eta/models/eta-gbdt/versions/3" }]);
    // As the engine writes it: the gate's outputs carry the registered version's fields.
    const stored = { outputs: { ...register.outputs, gateReportId: "g1", passed: false } };
    expect(stepLinks(stored, [train, register, stored], base)).toEqual([{ label: "Gate report (eta-gbdt v3)", href: "/acme/eta/models/eta-gbdt/versions/3" }]);
  });

  it("links a deployment and a dataset version (by the dataset's slug), and nothing for a step without outputs", () => {
    expect(stepLinks({ outputs: { deploymentName: "eta prod" } }, [], base)).toEqual([{ label: "Deployment eta prod", href: "/acme/eta/deployments/eta%20prod" }]);
    expect(stepLinks({ outputs: { datasetVersionId: "dv1" } }, [], base, (id) => (id === "dv1" ? "deliveries" : undefined))).toEqual([{ label: "Dataset version", href: "/acme/eta/datasets/deliveries/versions/dv1" }]);
    expect(stepLinks({ outputs: null }, [train], base)).toEqual([]);
  });
});

describe("run params form", () => {
  it("reads the spec's params with their defaults, and nothing from YAML that does not parse", () => {
    expect(specParams("name: x\nparams:\n  rounds: 200\n  model: eta\n  fast: true\nsteps: []\n")).toEqual({ rounds: 200, model: "eta", fast: true });
    expect(specParams("name: x\nsteps: []\n")).toEqual({});
    expect(specParams("params: [unclosed")).toEqual({});
  });

  it("keeps a param's type and refuses text that is not one", () => {
    expect(paramValue("rounds", "25", 200)).toEqual({ value: 25 });
    expect(paramValue("rounds", "", 200)).toEqual({ error: 'rounds is a number: "" is not one' });
    expect(paramValue("rounds", "many", 200)).toEqual({ error: 'rounds is a number: "many" is not one' });
    expect(paramValue("fast", "false", true)).toEqual({ value: false });
    expect(paramValue("fast", "yes", true)).toEqual({ error: 'fast is true or false, not "yes"' });
    expect(paramValue("model", "42", "eta")).toEqual({ value: "42" });
  });
});

describe("the new pipeline template", () => {
  it("is a valid pipeline for the demo's dataset and for any other one (the editor opens without problems)", () => {
    for (const dataset of ["deliveries", null, "churn"]) {
      const checked = validatePipelineYaml(pipelineTemplate(dataset), new Date("2026-11-29T12:00:00Z"));
      expect(checked.problems).toEqual([]);
      expect(checked.steps.map((s) => s.kind)).toEqual(["validate-data", "train", "evaluate", "register", "gate"]);
      expect(checked.nextCronRuns[0]).toBe("2026-11-30T03:00:00.000Z");
    }
    expect(pipelineTemplate("churn")).toContain("dataset: churn");
    expect(pipelineTemplate("churn")).not.toContain("delivery_id");
  });
});
