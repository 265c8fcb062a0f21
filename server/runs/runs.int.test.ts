import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { addMember, callerAs, createTestProject, createUser } from "../testing/factories";
import { compileFilter } from "./filter";

async function setup() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const caller = callerAs(owner);
  const run = (over: Record<string, unknown> = {}) => caller.run.create({ projectId: project.id, experiment: "eta", ...over });
  return { owner, project, caller, run };
}

const points = (key: string, steps: number[], f: (s: number) => number = (s) => s / 10) => steps.map((step) => ({ key, step, value: f(step) }));

async function rawPoints(runId: string, key: string) {
  const { rows } = await pool().query<{ step: string; value: number }>(
    `SELECT p.step, p.value FROM "MetricPoint" p JOIN "MetricSeries" s ON s.id = p."seriesId" WHERE s."runId" = $1 AND s.key = $2 ORDER BY p.step, p.seq`,
    [runId, key],
  );
  return rows.map((r) => ({ step: Number(r.step), value: r.value }));
}

describe("tracking API", () => {
  it("creates a run with flattened params, tags, code version and environment", async () => {
    const { run, caller, project } = await setup();
    const r = await run({
      name: "gbdt-depth-6",
      params: { model: "gbdt", optimizer: { lr: 0.1, schedule: { warmup: 100 } }, layers: [64, 32] },
      tags: { team: "eta" },
      code: { repo: "git@example.test:eta.git", commit: "abc123", dirty: true },
      environment: { host: "gpu-1", python: "3.11.7", packages: { torch: "1.13.1" } },
    });
    expect(r).toMatchObject({ number: 1, status: "RUNNING", experiment: "eta", code: { commit: "abc123", dirty: true } });
    expect(r.params).toEqual({ model: "gbdt", "optimizer.lr": 0.1, "optimizer.schedule.warmup": 100, layers: "[64,32]" });
    const again = await caller.run.logParams({ projectId: project.id, runId: r.id, params: { "optimizer.lr": 0.1, seed: 7 } });
    expect(again.params.seed).toBe(7);
    await expect(caller.run.logParams({ projectId: project.id, runId: r.id, params: { model: "linear" } })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("accepts very long and odd keys up to the limit and refuses longer ones", async () => {
    const { run, caller, project } = await setup();
    const odd = "λ/loss (val) #1 — ünïcödé.key";
    const r = await run({ params: { [odd]: 1, ["k".repeat(250)]: 2 } });
    expect(r.params[odd]).toBe(1);
    await caller.run.logMetrics({ projectId: project.id, runId: r.id, points: [{ key: odd, step: 0, value: 1 }] });
    await expect(run({ params: { ["k".repeat(251)]: 1 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(run({ params: { a: { ["b".repeat(249)]: 1 } } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("stores metrics with out-of-order steps, NaN and infinities, and keeps summaries right", async () => {
    const { run, caller, project } = await setup();
    const r = await run();
    await caller.run.logMetrics({ projectId: project.id, runId: r.id, points: points("loss", [5, 1, 3]) });
    await caller.run.logMetrics({
      projectId: project.id,
      runId: r.id,
      points: [{ key: "loss", step: 2, value: NaN }, { key: "loss", step: 4, value: "Infinity" as unknown as number }, { key: "loss", step: 0, value: -Infinity }],
    });
    expect((await rawPoints(r.id, "loss")).map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5]);
    const got = await caller.run.get({ projectId: project.id, runId: r.id });
    const loss = got.metrics.find((m) => m.key === "loss")!;
    expect(loss).toMatchObject({ count: 6, lastStep: 5, last: 0.5, min: -Infinity, max: Infinity });
    const nan = (await rawPoints(r.id, "loss")).find((p) => p.step === 2)!;
    expect(Number.isNaN(nan.value)).toBe(true);
    // The chart path keeps them too.
    const [series] = (await caller.run.compare({ projectId: project.id, runIds: [r.id], points: 100 })).series;
    expect(series!.points.map((p) => p.value)).toEqual([-Infinity, 0.1, NaN, 0.3, Infinity, 0.5]);
  });

  it("stores a retried batch once, also when the retries race", async () => {
    const { run, caller, project } = await setup();
    const r = await run();
    const batch = { projectId: project.id, runId: r.id, batchId: "b-1", points: points("acc", [0, 1, 2, 3]) };
    const results = await Promise.all([caller.run.logMetrics(batch), caller.run.logMetrics(batch), caller.run.logMetrics(batch)]);
    expect(results.filter((x) => !x.duplicate)).toHaveLength(1);
    expect(await rawPoints(r.id, "acc")).toHaveLength(4);
    expect((await caller.run.get({ projectId: project.id, runId: r.id })).metrics[0]!.count).toBe(4);
  });

  it("keeps every point under concurrent writers", async () => {
    const { run, caller, project } = await setup();
    const r = await run();
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        caller.run.logMetrics({ projectId: project.id, runId: r.id, points: [...points("x", Array.from({ length: 500 }, (_, i) => w * 500 + i)), ...points("y", [w])] }),
      ),
    );
    const xs = await rawPoints(r.id, "x");
    expect(xs).toHaveLength(4000);
    expect(new Set(xs.map((p) => p.step)).size).toBe(4000);
    const summary = (await caller.run.get({ projectId: project.id, runId: r.id })).metrics.find((m) => m.key === "x")!;
    expect(summary).toMatchObject({ count: 4000, lastStep: 3999, min: 0, max: 399.9 });
  });

  it("rejects a batch over 10,000 points whole, with a clear message", async () => {
    const { run, caller, project } = await setup();
    const r = await run();
    const big = points("z", Array.from({ length: 10_001 }, (_, i) => i));
    await expect(caller.run.logMetrics({ projectId: project.id, runId: r.id, points: big })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/at most 10000 points/),
    });
    expect(await rawPoints(r.id, "z")).toHaveLength(0);
    await expect(caller.run.logMetrics({ projectId: project.id, runId: r.id, points: [{ key: "z", step: -1, value: 1 }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("finishes runs idempotently", async () => {
    const { run, caller, project } = await setup();
    const r = await run();
    const done = await caller.run.finish({ projectId: project.id, runId: r.id, status: "FINISHED" });
    expect(done.status).toBe("FINISHED");
    expect(done.endedAt).not.toBeNull();
    await expect(caller.run.finish({ projectId: project.id, runId: r.id, status: "FINISHED" })).resolves.toMatchObject({ status: "FINISHED" });
    await expect(caller.run.finish({ projectId: project.id, runId: r.id, status: "FAILED" })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("runs list: filters and sorting", () => {
  it("filters by metrics, params, tags and attributes, and sorts by a metric", async () => {
    const { run, caller, project } = await setup();
    const specs = [
      { model: "gbdt", depth: 6, rmse: 3.5, team: "eta" },
      { model: "gbdt", depth: 8, rmse: 4.5, team: "ops" },
      { model: "linear", depth: 0, rmse: 2.0, team: "eta" },
    ];
    for (const s of specs) {
      const r = await run({ params: { model: s.model, depth: s.depth }, tags: { team: s.team } });
      await caller.run.logMetrics({ projectId: project.id, runId: r.id, points: [{ key: "rmse", step: 0, value: s.rmse + 1 }, { key: "rmse", step: 1, value: s.rmse }] });
    }
    const names = async (filter: string, sort?: { by: string; dir: "asc" | "desc" }) =>
      (await caller.run.list({ projectId: project.id, filter, sort })).runs.map((r) => `${r.params.model}/${r.params.depth}`);
    expect(await names(`metrics.rmse < 4 and params.model = "gbdt"`)).toEqual(["gbdt/6"]);
    expect(await names(`params.depth >= 6`, { by: "metrics.rmse", dir: "asc" })).toEqual(["gbdt/6", "gbdt/8"]);
    expect(await names(`tags.team = 'eta' or min(metrics.rmse) > 4`, { by: "params.depth", dir: "desc" })).toEqual(["gbdt/8", "gbdt/6", "linear/0"]);
    expect(await names(`not params.model = "gbdt"`)).toEqual(["linear/0"]);
    expect(await names(`params.depth in (0, 8)`, { by: "params.depth", dir: "asc" })).toEqual(["linear/0", "gbdt/8"]);
    expect(await names(`name ~ "RUN-" and status = "RUNNING"`)).toHaveLength(3);
    expect(await names(`params.missing = null`)).toHaveLength(3);
    for (const bad of ["metrics.rmse <", "foo = 1", "metrics.rmse < 'x'", "(params.a = 1", 'params.a = "x'])
      await expect(caller.run.list({ projectId: project.id, filter: bad })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^Filter: /) });
  });

  it("parameterises values instead of splicing them into SQL", () => {
    const { sql, params } = compileFilter(`params.model = "x'; DROP TABLE \\"Run\\"; --"`, 1);
    expect(sql).not.toContain("DROP");
    expect(params).toContain(`x'; DROP TABLE "Run"; --`);
  });
});

describe("compare and downsampling", () => {
  it("returns about the requested number of points per series, keeping first, last and extremes", async () => {
    const { run, caller, project } = await setup();
    const a = await run({ params: { lr: 0.1, depth: 6 } });
    const b = await run({ params: { lr: 0.01, depth: 6 } });
    for (const r of [a, b]) {
      for (let start = 0; start < 30_000; start += 10_000) {
        const steps = Array.from({ length: 10_000 }, (_, i) => start + i);
        await caller.run.logMetrics({ projectId: project.id, runId: r.id, points: points("loss", steps, (s) => (s === 12_345 ? 99 : s === 23_456 ? -5 : Math.sin(s / 1000))) });
      }
    }
    const cmp = await caller.run.compare({ projectId: project.id, runIds: [a.id, b.id], points: 500 });
    expect(cmp.series).toHaveLength(2);
    for (const s of cmp.series) {
      expect(s.total).toBe(30_000);
      expect(s.points.length).toBeLessThanOrEqual(520);
      expect(s.points.length).toBeGreaterThan(200);
      expect(s.points[0]!.step).toBe(0);
      expect(s.points.at(-1)!.step).toBe(29_999);
      expect(s.points.some((p) => p.value === 99)).toBe(true);
      expect(s.points.some((p) => p.value === -5)).toBe(true);
    }
    expect(cmp.params.find((p) => p.key === "lr")!.differs).toBe(true);
    expect(cmp.params.find((p) => p.key === "depth")!.differs).toBe(false);
    expect(cmp.best.find((m) => m.key === "loss")!.goal).toBe("min");
  });
});

describe("tags", () => {
  it("are added, changed and removed; a key both set and removed is refused", async () => {
    const { run, caller, project } = await setup();
    const r = await run({ tags: { stage: "dev", scratch: "1", team: "eta" } });
    const after = await caller.run.setTags({ projectId: project.id, runId: r.id, tags: { stage: "prod", owner: "ana" }, removeTags: ["scratch", "never-set"] });
    expect(after.tags).toEqual({ stage: "prod", team: "eta", owner: "ana" });
    expect((await caller.run.setTags({ projectId: project.id, runId: r.id, removeTags: ["team"] })).tags).toEqual({ stage: "prod", owner: "ana" });
    await expect(caller.run.setTags({ projectId: project.id, runId: r.id, tags: { stage: "x" }, removeTags: ["stage"] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("a tag cannot be both set and removed in one call"),
    });
    expect((await caller.run.get({ projectId: project.id, runId: r.id })).tags).toEqual({ stage: "prod", owner: "ana" });
  });
});

describe("NUL characters in a metric batch", () => {
  it("are refused with the path of the first one, and nothing of the batch is stored", async () => {
    const { run, caller, project } = await setup();
    const r = await run();
    const batch = [...points("loss", [0, 1]), { key: "lo\u0000ss", step: 2, value: 1 }, { key: "acc", step: 3, value: 1 }];
    await expect(caller.run.logMetrics({ projectId: project.id, runId: r.id, points: batch })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "points.2.key: must not contain NUL characters",
    });
    await expect(caller.run.setTags({ projectId: project.id, runId: r.id, tags: { team: "a\u0000" } })).rejects.toMatchObject({ message: "tags.team: must not contain NUL characters" });
    expect(await rawPoints(r.id, "loss")).toEqual([]);
  });
});

describe("compare from rollups", () => {
  it("keeps NaN, infinities, timestamps and a step range when a long series is read from its rollups", async () => {
    const { run, caller, project } = await setup();
    const r = await run();
    const base = Date.UTC(2026, 10, 1, 12, 0, 0, 250);
    const value = (s: number) => (s === 0 ? NaN : s === 7_777 ? Infinity : s === 13_000 ? -Infinity : Math.cos(s / 500));
    for (let start = 0; start < 20_000; start += 10_000) {
      const batch = Array.from({ length: 10_000 }, (_, i) => start + i).map((step) => ({ key: "loss", step, value: value(step), timestamp: base + step * 1000 }));
      await caller.run.logMetrics({ projectId: project.id, runId: r.id, points: batch });
    }
    const [series] = (await caller.run.compare({ projectId: project.id, runIds: [r.id], points: 1000 })).series;
    expect(series).toMatchObject({ total: 20_000, sampled: true });
    expect(series!.points.length).toBeGreaterThan(500);
    expect(series!.points.length).toBeLessThanOrEqual(1000);
    expect(series!.points[0]).toEqual({ step: 0, value: NaN, ts: base });
    expect(series!.points.at(-1)).toEqual({ step: 19_999, value: Math.cos(19_999 / 500), ts: base + 19_999_000 });
    expect(series!.points.find((p) => p.value === Infinity)?.step).toBe(7_777);
    expect(series!.points.find((p) => p.value === -Infinity)?.step).toBe(13_000);
    const steps = series!.points.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // Every point is a logged one: its value is the value at its step.
    for (const p of series!.points.slice(1)) expect(p.value).toBe(value(p.step));

    const [part] = (await caller.run.compare({ projectId: project.id, runIds: [r.id], points: 100, stepRange: [5_000, 9_000] })).series;
    expect(part!.points[0]!.step).toBeGreaterThanOrEqual(4_992);
    expect(part!.points.at(-1)!.step).toBeLessThanOrEqual(9_023);
    expect(part!.points.some((p) => p.value === Infinity)).toBe(true);
    await expect(caller.run.compare({ projectId: project.id, runIds: [r.id], stepRange: [0.5, 10] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("runs: roles and tenant isolation", () => {
  it("answers other tenants NOT_FOUND and anonymous UNAUTHORIZED; VIEWER reads but cannot write", async () => {
    const { owner, run, project } = await setup();
    const r = await run();
    const stranger = callerAs(await createUser());
    const viewerUser = await createUser();
    await addMember(owner.orgId, viewerUser, "VIEWER");
    const viewer = callerAs(viewerUser);
    const anon = callerAs(null);
    const reads = (c: ReturnType<typeof callerAs>) => [
      () => c.run.get({ projectId: project.id, runId: r.id }),
      () => c.run.list({ projectId: project.id }),
      () => c.run.compare({ projectId: project.id, runIds: [r.id] }),
      () => c.run.experiments({ projectId: project.id }),
    ];
    const writes = (c: ReturnType<typeof callerAs>) => [
      () => c.run.create({ projectId: project.id }),
      () => c.run.logParams({ projectId: project.id, runId: r.id, params: { a: 1 } }),
      () => c.run.logMetrics({ projectId: project.id, runId: r.id, points: [{ key: "a", step: 0, value: 1 }] }),
      () => c.run.setTags({ projectId: project.id, runId: r.id, tags: { a: "b" } }),
      () => c.run.finish({ projectId: project.id, runId: r.id }),
    ];
    for (const call of [...reads(stranger), ...writes(stranger)]) await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    for (const call of [...reads(anon), ...writes(anon)]) await expect(call()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    for (const call of reads(viewer)) await expect(call()).resolves.toBeDefined();
    for (const call of writes(viewer)) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A run id from another project, with this caller's own project id: NOT_FOUND, nothing written.
    const other = await setup();
    const foreign = await other.run();
    await expect(callerAs(owner).run.logMetrics({ projectId: project.id, runId: foreign.id, points: [{ key: "a", step: 0, value: 1 }] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await rawPoints(foreign.id, "a")).toHaveLength(0);
  });
});
