/**
 * Tenant isolation and roles of deployment.* with real rows: another organisation's owner, a project
 * token of another project and anonymous callers never see or change a deployment; VIEWER and
 * MEMBER read but do not change; the state is untouched after every refused call.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, callerWithToken, createTestProject, createUser, mintToken } from "../testing/factories";
import { addVersion, codeOf, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";

let w: PromotionWorld;
let ref: { projectId: string; deploymentId: string };
let envId: string;
let v2: string;

beforeAll(async () => {
  w = await promotionWorld();
  const { model } = await createModel(w, { required: 1, min_role: "ADMIN" });
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  v2 = (await addVersion(w, model.id)).id;
  const dep = await callerAs(w.admin1).deployment.create({ projectId: w.project.id, environment: "staging", name: "eta", modelId: model.id });
  ref = { projectId: w.project.id, deploymentId: dep.id };
  envId = dep.environment.id;
});

type Caller = ReturnType<typeof callerAs>;
const reads = (c: Caller) => [c.deployment.get(ref), c.deployment.ledger(ref), c.deployment.verifyLedger(ref), c.deployment.list({ projectId: ref.projectId }), c.deployment.environments({ projectId: ref.projectId })];
const writes = (c: Caller) => [
  c.deployment.setCandidate({ ...ref, versionId: v2, strategy: "canary", candidatePercent: 5 }),
  c.deployment.replace({ ...ref, versionId: v2 }),
  c.deployment.pause(ref),
  c.deployment.abort(ref),
  c.deployment.promote(ref),
  c.deployment.rollback(ref),
  c.deployment.switch(ref),
  c.deployment.updateEnvironment({ projectId: ref.projectId, environmentId: envId, requires: "none" }),
  c.deployment.deleteEnvironment({ projectId: ref.projectId, environmentId: envId }),
  c.deployment.createEnvironment({ projectId: ref.projectId, name: "intruder" }),
];

async function codes(calls: Promise<unknown>[]): Promise<string[]> {
  return Promise.all(calls.map(async (p) => (await codeOf(p)).code));
}

async function unchanged() {
  const row = await db().deployment.findUniqueOrThrow({ where: { id: ref.deploymentId } });
  expect(row).toMatchObject({ generation: 1, candidateVersionId: null });
  expect(await db().deploymentLedgerEntry.count({ where: { deploymentId: ref.deploymentId } })).toBe(1);
  expect(await db().environment.count({ where: { projectId: ref.projectId, name: "intruder" } })).toBe(0);
}

describe("deployment isolation", () => {
  it("another organisation's owner gets NOT_FOUND for every read and write", async () => {
    const stranger = callerAs(await createUser());
    expect(new Set(await codes([...reads(stranger), ...writes(stranger)]))).toEqual(new Set(["NOT_FOUND"]));
    await unchanged();
  });

  it("anonymous callers get UNAUTHORIZED", async () => {
    const anon = callerAs(null);
    expect(new Set(await codes([...reads(anon), ...writes(anon)]))).toEqual(new Set(["UNAUTHORIZED"]));
    await unchanged();
  });

  it("a deployment id used under another project of the same organisation is NOT_FOUND, even for its ADMIN", async () => {
    const other = await createTestProject(w.owner.orgId, w.owner);
    const c = callerAs(w.admin1).deployment;
    const moved = { projectId: other.id, deploymentId: ref.deploymentId };
    expect(await codes([c.get(moved), c.ledger(moved), c.verifyLedger(moved), c.pause(moved), c.rollback(moved), c.replace({ ...moved, versionId: v2 })])).toEqual(Array(6).fill("NOT_FOUND"));
    expect((await codeOf(c.updateEnvironment({ projectId: other.id, environmentId: envId, requires: "none" }))).code).toBe("NOT_FOUND");
    const token = await mintToken(w.admin2, { orgId: w.owner.orgId, role: "ADMIN", projectId: other.id });
    const tc = await callerWithToken(token.secret);
    expect(new Set(await codes([...reads(tc), ...writes(tc)]))).toEqual(new Set(["NOT_FOUND"]));
    await unchanged();
  });

  it("VIEWER and MEMBER read; every change is FORBIDDEN for them", async () => {
    for (const user of [w.viewer, w.member]) {
      const c = callerAs(user);
      const [dep, ledger, verified] = await Promise.all(reads(c).slice(0, 3));
      expect(dep).toMatchObject({ id: ref.deploymentId, name: "eta" });
      expect(ledger).toHaveLength(1);
      expect(verified).toMatchObject({ valid: true });
      expect(new Set(await codes(writes(c)))).toEqual(new Set(["FORBIDDEN"]));
    }
    const viewerToken = await mintToken(w.admin2, { orgId: w.owner.orgId, role: "VIEWER", projectId: w.project.id });
    expect(new Set(await codes(writes(await callerWithToken(viewerToken.secret))))).toEqual(new Set(["FORBIDDEN"]));
    await unchanged();
  });
});
