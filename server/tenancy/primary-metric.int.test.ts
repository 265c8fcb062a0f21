import { describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, createTestProject, createUser } from "../testing/factories";

describe("a project's primary metric", () => {
  it("is set, read back with the project, cleared, and audited with before and after", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    expect(project.primaryMetric).toBeNull();
    const set = await caller.project.setPrimaryMetric({ projectId: project.id, primaryMetric: { key: "test/rocAuc", goal: "max" } });
    expect(set.primaryMetric).toEqual({ key: "test/rocAuc", goal: "max" });
    expect((await caller.project.get({ projectId: project.id })).primaryMetric).toEqual({ key: "test/rocAuc", goal: "max" });
    const cleared = await caller.project.setPrimaryMetric({ projectId: project.id, primaryMetric: null });
    expect(cleared.primaryMetric).toBeNull();
    const audit = await db().auditEvent.findMany({ where: { projectId: project.id, action: "project.primary_metric" }, orderBy: { at: "asc" } });
    expect(audit.map((e) => [e.before, e.after])).toEqual([
      [{ primaryMetric: null }, { primaryMetric: { key: "test/rocAuc", goal: "max" } }],
      [{ primaryMetric: { key: "test/rocAuc", goal: "max" } }, { primaryMetric: null }],
    ]);
  });

  it("refuses an empty key or an unknown goal with the field named", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const empty = await caller.project.setPrimaryMetric({ projectId: project.id, primaryMetric: { key: " ", goal: "min" } }).catch((err: unknown) => err);
    expect(empty).toMatchObject({ code: "BAD_REQUEST", cause: { issues: [expect.objectContaining({ path: ["primaryMetric", "key"] })] } });
    // @ts-expect-error: the goal is checked at run time too
    await expect(caller.project.setPrimaryMetric({ projectId: project.id, primaryMetric: { key: "loss", goal: "lowest" } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
