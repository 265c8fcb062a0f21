import { describe, expect, it } from "vitest";
import { parsePipelineYaml, pathString, validatePipelineYaml } from "./yaml";

const GOOD = `name: eta-retrain
params: { rounds: 200, ds: trips }
triggers:
  - dataset: trips
  - push: { branches: [main] }
  - cron: "0 3 * * *"
concurrency: queue
budget: { maxRunsPerDay: 10 }
steps:
  - id: validate
    uses: validate-data
    with: { dataset: "\${{ params.ds }}" }
  - id: train
    uses: train
    timeout: 30m
    with: { trainer: gbdt, target: minutes, params: { rounds: "\${{ params.rounds }}" } }
  - { id: evaluate, uses: evaluate }
  - { id: register, uses: register, with: { model: eta-gbdt } }
  - { id: gate, uses: gate }
  - id: deploy
    uses: deploy
    if: gate.passed
    with: { deployment: eta, strategy: canary, steps: [10, 50, 100], bakeSeconds: 600 }
`;

/** The problems of a text as "line:column message" strings, the way the CLI prints them. */
function problems(text: string): string[] {
  const r = parsePipelineYaml(text);
  if (r.ok) throw new Error("expected problems, the text parsed");
  return r.problems.map((p) => `${p.line}:${p.column} ${p.path} ${p.message}`);
}

const steps = (body: string, head = "name: p\n") => `${head}steps:\n${body}`;

describe("parsePipelineYaml", () => {
  it("parses a full pipeline with defaults filled in", () => {
    const r = parsePipelineYaml(GOOD);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.spec.name).toBe("eta-retrain");
    expect(r.spec.steps.map((s) => s.id)).toEqual(["validate", "train", "evaluate", "register", "gate", "deploy"]);
    expect(r.spec.steps[1]).toMatchObject({ timeout: 1800, resources: "cpu", cache: true });
    expect(r.spec.steps[2]).toMatchObject({ with: { split: "test" } });
    expect(r.spec.triggers).toHaveLength(3);
  });

  it("locates YAML syntax errors", () => {
    expect(problems("name: p\nsteps: [1\nx: y\n")[0]).toMatch(/^3:1 /);
    expect(problems("name: p\nname: q\nsteps: []\n")).toEqual([expect.stringMatching(/^2:1 .*unique/)]);
    expect(problems(steps("  - id: a\n    uses: gate\n    id: b\n"))).toEqual(['5:5  Map keys must be unique: "id" is written twice']);
    expect(problems("name: p\n\tsteps: []\n")[0]).toMatch(/^2:/);
    expect(problems("a: 1\n---\nb: 2\n")[0]).toMatch(/^2:1 /);
  });

  it("locates shape problems on the offending node", () => {
    expect(problems(steps("  - id: a\n    uses: bogus\n"))).toEqual(["4:11 steps[0].uses must be one of validate-data, train, evaluate, register, gate, deploy"]);
    expect(problems(steps("  - id: a\n    uses: train\n    with: { trainer: gbdt, foo: 1 }\n"))).toEqual([
      "5:11 steps[0].with.target \"target\" is required",
      "5:28 steps[0].with.foo unknown key \"foo\"",
    ]);
    expect(problems(steps("  - id: a\n    uses: deploy\n    with:\n"))).toEqual(["5:5 steps[0].with Invalid input: expected object, received null"]);
    expect(problems(steps("  - uses: gate\n"))).toEqual(['3:5 steps[0].id "id" is required']);
    expect(problems(steps("  - id: a\n"))).toEqual(['3:5 steps[0].uses "uses" is required: one of validate-data, train, evaluate, register, gate, deploy']);
    expect(problems(steps("  - { id: A, uses: gate }\n"))[0]).toMatch(/^3:11 steps\[0\]\.id a step id is lower-case/);
    expect(problems(steps("  - { id: a, uses: gate, timeout: 2d }\n"))[0]).toMatch(/^3:35 steps\[0\]\.timeout a duration/);
    expect(problems(steps("  - { id: a, uses: gate, timeout: 25h }\n"))[0]).toMatch(/^3:35 .*at most 24h/);
    expect(problems(steps("  - { id: a, uses: gate, if: gate.maybe }\n"))[0]).toMatch(/^3:30 steps\[0\]\.if a condition is/);
    expect(problems("name: Bad Name\nsteps:\n  - { id: a, uses: gate }\n")).toEqual([expect.stringMatching(/^1:7 name a pipeline name/)]);
    expect(problems("name: p\nsteps: []\n")).toEqual([expect.stringMatching(/^2:8 steps /)]);
    expect(problems("name: p\nconcurrency: parallel\nsteps:\n  - { id: a, uses: gate }\n")).toEqual([expect.stringMatching(/^2:14 concurrency /)]);
    expect(problems("name: p\nretries: 3\nsteps:\n  - { id: a, uses: gate }\n")).toEqual(['2:1 retries unknown key "retries"']);
  });

  it("says what is missing from an empty or non-mapping document", () => {
    expect(problems("")).toEqual(['1:1 name "name" is required', '1:1 steps "steps" is required']);
    expect(problems("- a\n- b\n")).toEqual([expect.stringMatching(/^1:1 {2}Invalid input: expected object, received array/)]);
  });

  it("reports the trigger branch the author meant", () => {
    const head = "name: p\ntriggers:\n";
    const tail = "steps:\n  - { id: a, uses: gate }\n";
    expect(problems(`${head}  - cron: 5\n${tail}`)).toEqual(["3:11 triggers[0].cron Invalid input: expected string, received number"]);
    expect(problems(`${head}  - push: { branch: main }\n${tail}`)).toEqual(['3:13 triggers[0].push.branch unknown key "branch"']);
    expect(problems(`${head}  - { schedule: daily }\n${tail}`)).toEqual(["3:5 triggers[0] expected one of the keys dataset, push, cron, monitor"]);
  });

  it("refuses duplicate step ids, and needs/if naming unknown or later steps", () => {
    expect(problems(steps("  - { id: a, uses: gate }\n  - { id: a, uses: gate }\n"))).toEqual(['4:11 steps[1].id step id "a" is already used by steps[0]']);
    expect(problems(steps("  - { id: a, uses: gate, needs: [b] }\n  - { id: b, uses: gate }\n"))).toEqual([
      'steps[0].needs[0] needs "b": a step can only refer to steps written before it',
    ].map((m) => `3:34 ${m}`));
    expect(problems(steps("  - { id: a, uses: gate }\n  - id: b\n    uses: gate\n    needs:\n      - a\n      - nope\n"))).toEqual([
      '8:9 steps[1].needs[1] needs "nope": no step has that id',
    ]);
    expect(problems(steps("  - { id: a, uses: gate, needs: [a] }\n"))[0]).toMatch(/^3:34 .*written before it/);
    expect(problems(steps("  - { id: a, uses: gate, if: b.failed }\n  - { id: b, uses: gate }\n"))).toEqual([
      '3:30 steps[0].if if "b": a step can only refer to steps written before it',
    ]);
    expect(problems(steps("  - { id: a, uses: gate }\n  - { id: b, uses: gate, if: x.passed }\n"))).toEqual(['4:30 steps[1].if if "x": no step has that id']);
  });

  it("checks cron schedules and allows one cron trigger", () => {
    const tail = "steps:\n  - { id: a, uses: gate }\n";
    expect(problems(`name: p\ntriggers:\n  - cron: "0 3 * * * *"\n${tail}`)).toEqual(["3:11 triggers[0].cron a cron schedule has 5 fields (minute hour day month weekday), got 6"]);
    expect(problems(`name: p\ntriggers:\n  - cron: "61 3 * * *"\n${tail}`)[0]).toMatch(/^3:11 .*not a cron schedule/);
    expect(problems(`name: p\ntriggers:\n  - cron: "0 3 * * *"\n  - dataset: d\n  - cron: "0 4 * * *"\n${tail}`)).toEqual([
      "5:5 triggers[2] only one cron trigger per pipeline (triggers[0] is one); combine the schedules or use two pipelines",
    ]);
  });

  it("checks ${{ params.x }} placeholders against the declared params", () => {
    const train = (params: string, value: string) =>
      `name: p\n${params}steps:\n  - id: t\n    uses: train\n    with:\n      trainer: gbdt\n      target: y\n      params:\n        rounds: "${value}"\n`;
    expect(parsePipelineYaml(train("params: { rounds: 5 }\n", "${{ params.rounds }}")).ok).toBe(true);
    expect(parsePipelineYaml(train("params: { rounds: 5 }\n", "r=${{params.rounds}}/x")).ok).toBe(true);
    expect(problems(train("params: { rounds: 5 }\n", "${{ params.round }}"))).toEqual([
      '10:17 steps[0].with.params.rounds "${{ params.round }}" names no declared param; add "round" under params:',
    ]);
    expect(problems(train("", "${{ env.HOME }}"))).toEqual(['9:17 steps[0].with.params.rounds "${{ env.HOME }}" is not a placeholder; write ${{ params.<name> }}']);
  });

  it("checks canary steps with the deployments' own rule", () => {
    expect(problems(steps("  - { id: d, uses: deploy, with: { deployment: eta, steps: [50, 10] } }\n"))).toEqual([
      "3:60 steps[0].with.steps Steps must increase",
    ]);
  });

  it("refuses alias bombs instead of expanding them", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(10).fill(`*${"abcdefghij"[i]}`).join(", ")}]`)].join("\n");
    const r = parsePipelineYaml(`${bomb}\nname: p\nsteps: []\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/alias/i);
  });

  it("refuses deep nesting before the parser spends seconds on it", () => {
    const started = Date.now();
    expect(problems(`name: p\nsteps: ${"[".repeat(90_000)}${"]".repeat(90_000)}\n`)).toEqual(["2:40  nested more than 32 levels deep"]);
    expect(problems(`name: p\nsteps: ${"{a: ".repeat(50_000)}1${"}".repeat(50_000)}\n`)[0]).toMatch(/^2:136 .*nested more than 32/);
    // A quote inside a plain scalar opens nothing, so it cannot hide the brackets after it.
    expect(problems(`name: don't\nsteps: ${"[".repeat(40)}${"]".repeat(40)}\n`)[0]).toMatch(/^2:40 .*nested more than 32/);
    expect(problems(`name: p\nsteps:\n${"- ".repeat(60_000)}x\n`)[0]).toMatch(/^3:65 .*nested more than 32/);
    expect(problems(`name: p\nsteps:\n${"? ".repeat(60_000)}x\n`)[0]).toMatch(/^3:65 .*nested more than 32/);
    const stairs = Array.from({ length: 300 }, (_, i) => `${" ".repeat(i + 1)}- `).join("\n");
    expect(problems(`name: p\nx:\n${stairs}\n`)[0]).toMatch(/^203:1 .*indented more than 200 columns/);
    expect(Date.now() - started).toBeLessThan(500);
    // Brackets in quoted strings and comments are text, not nesting.
    const quoted = `name: p\ndescription: "${"[".repeat(100)}" # ${"{".repeat(100)}\nsteps:\n  - { id: a, uses: gate }\n`;
    expect(parsePipelineYaml(quoted).ok).toBe(true);
    expect(parsePipelineYaml(`name: p\ndescription: '${"[".repeat(50)}'\nsteps: [{ id: a, uses: gate }]\n`).ok).toBe(true);
  });

  it("caps the number of problems", () => {
    const many = Array.from({ length: 40 }, (_, i) => `  - { id: s${i}, uses: gate, bogus: 1, other: 2 }`).join("\n");
    const r = parsePipelineYaml(steps(`${many}\n`));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toHaveLength(50);
  });
});

describe("validatePipelineYaml", () => {
  it("gives the steps with their effective needs and the next five cron runs", () => {
    const v = validatePipelineYaml(GOOD, new Date("2026-11-29T12:00:00Z"));
    expect(v.ok).toBe(true);
    expect(v.name).toBe("eta-retrain");
    expect(v.steps.map((s) => [s.id, s.kind, s.needs, s.condition])).toEqual([
      ["validate", "validate-data", [], null],
      ["train", "train", ["validate"], null],
      ["evaluate", "evaluate", ["train"], null],
      ["register", "register", ["evaluate"], null],
      ["gate", "gate", ["register"], null],
      ["deploy", "deploy", ["gate"], "gate.passed"],
    ]);
    expect(v.nextCronRuns).toEqual(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"].map((d) => `${d}T03:00:00.000Z`));
  });

  it("answers problems without steps for a bad text", () => {
    const v = validatePipelineYaml("name: p\n");
    expect(v).toMatchObject({ ok: false, name: null, steps: [], nextCronRuns: [] });
    expect(v.problems[0]).toMatchObject({ line: 1, column: 1, path: "steps" });
  });

  it("writes paths the way people read them", () => {
    expect(pathString(["steps", 2, "with", "params", "rounds"])).toBe("steps[2].with.params.rounds");
    expect(pathString([0, "a"])).toBe("[0].a");
  });
});
