/**
 * Tenant isolation and roles of deployment.advance and deployment.health with a real running canary:
 * another organisation's owner, a token of another project and anonymous callers never see its health
 * or move it; VIEWER and MEMBER read health but cannot advance; the rollout is untouched after each.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { HealthRecorder } from "../serving/health";
import { callerAs, callerWithToken, createTestProject, createUser, mintToken } from "../testing/factories";
import { addVersion, codeOf, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";

let w: PromotionWorld;
let ref: { projectId: string; deploymentId: string };
let generation: number;

beforeAll(async () => {
  w = await promotionWorld();
  const { model } = await createModel(w, { required: 1, min_role: "ADMIN" });
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  const admin = callerAs(w.admin1).deployment;
  const dep = await admin.create({ projectId: w.project.id, environment: "staging", name: "eta", modelId: model.id });
  ref = { projectId: w.project.id, deploymentId: dep.id };
  generation = (await admin.setCandidate({ ...ref, versionId: v2.id, strategy: "canary", rollout: { steps: [10, 100], bakeSeconds: 600 } })).generation;
  const r = new HealthRecorder({ pool: pool(), flushMs: 3_600_000 });
  for (let i = 0; i < 7; i++) r.answered({ projectId: ref.projectId, deploymentId: dep.id, versionId: v1.id }, 3);
  await r.close();
});

type Caller = ReturnType<typeof callerAs>;
const calls = (c: Caller, target = ref) => [c.deployment.health({ ...target, minutes: 5 }), c.deployment.advance(target)];

const codes = (calls: Promise<unknown>[]) => Promise.all(calls.map(async (p) => (await codeOf(p)).code));

async function unchanged() {
  const row = await db().deployment.findUniqueOrThrow({ where: { id: ref.deploymentId } });
  expect(row).toMatchObject({ generation, candidatePercent: 10, status: "rolling_out" });
}

describe("rollout procedures isolation", () => {
  it("another organisation's owner gets NOT_FOUND; anonymous callers UNAUTHORIZED", async () => {
    expect(await codes(calls(callerAs(await createUser())))).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    expect(await codes(calls(callerAs(null)))).toEqual(["UNAUTHORIZED", "UNAUTHORIZED"]);
    await unchanged();
  });

  it("the deployment under another project of the organisation is NOT_FOUND, for its ADMIN and for that project's token", async () => {
    const other = await createTestProject(w.owner.orgId, w.owner);
    const moved = { projectId: other.id, deploymentId: ref.deploymentId };
    expect(await codes(calls(callerAs(w.admin1), moved))).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    const token = await mintToken(w.admin2, { orgId: w.owner.orgId, role: "ADMIN", projectId: other.id });
    expect(await codes(calls(await callerWithToken(token.secret)))).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    await unchanged();
  });

  it("VIEWER and MEMBER read the health series; advancing is FORBIDDEN for them", async () => {
    for (const user of [w.viewer, w.member]) {
      const c = callerAs(user).deployment;
      const series = await c.health({ ...ref, minutes: 5 });
      expect(series.versions.map((v) => v.role)).toEqual(["stable", "candidate"]);
      expect(series.points.reduce((s, p) => s + p.requests, 0)).toBe(7);
      expect((await codeOf(c.advance(ref))).code).toBe("FORBIDDEN");
    }
    await unchanged();
  });

  it("bad input is a 4xx naming the field, never a 500", async () => {
    const err = await codeOf(callerAs(w.admin1).deployment.health({ ...ref, minutes: 0 }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/minutes/);
  });
});
