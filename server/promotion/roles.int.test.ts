/**
 * The role matrix of the promotion procedures with real rows: users of each role and API tokens of
 * each role (org-wide and project-scoped) either get through to the service or are FORBIDDEN, as
 * each procedure's rule says (approve/reject: the policy's min_role, here ADMIN; promote/rollback:
 * ADMIN; override: OWNER, so never a token; status/approvals: VIEWER).
 */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerAs, callerWithToken, mintToken } from "../testing/factories";
import { addReport, addVersion, createModel, promotionWorld, setChampion, type PromotionWorld } from "../testing/promotion";

type Role = "OWNER" | "ADMIN" | "MEMBER" | "VIEWER";
type Caller = ReturnType<typeof callerAs>;
const RANK: Record<Role, number> = { OWNER: 4, ADMIN: 3, MEMBER: 2, VIEWER: 1 };

let w: PromotionWorld;
const actors: { name: string; role: Role; token: boolean; caller: Caller }[] = [];

beforeAll(async () => {
  w = await promotionWorld();
  actors.push(
    { name: "user OWNER", role: "OWNER", token: false, caller: callerAs(w.owner) },
    { name: "user ADMIN", role: "ADMIN", token: false, caller: callerAs(w.admin1) },
    { name: "user MEMBER", role: "MEMBER", token: false, caller: callerAs(w.member) },
    { name: "user VIEWER", role: "VIEWER", token: false, caller: callerAs(w.viewer) },
  );
  for (const role of ["ADMIN", "MEMBER", "VIEWER"] as const) {
    const org = await mintToken(w.admin2, { orgId: w.owner.orgId, role });
    actors.push({ name: `org token ${role}`, role, token: true, caller: await callerWithToken(org.secret) });
    const project = await mintToken(w.admin3, { orgId: w.owner.orgId, role, projectId: w.project.id });
    actors.push({ name: `project token ${role}`, role, token: true, caller: await callerWithToken(project.secret) });
  }
});

/** A model whose challenger v2 passed its gate against champion v1; `required` approvals from ADMIN. */
async function challenger(required: number) {
  const { model, policy } = await createModel(w, { required, min_role: "ADMIN" });
  const v1 = await addVersion(w, model.id);
  await setChampion(model.id, v1.id);
  const v2 = await addVersion(w, model.id);
  await addReport(w.project.id, v2, { policyRevisionId: policy.id, passed: true, championVersionId: v1.id });
  return { modelId: model.id, versionId: v2.id, projectId: w.project.id };
}

async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

const CASES: { procedure: string; allowed: (role: Role, token: boolean) => boolean; call: (c: Caller) => Promise<() => Promise<unknown>> }[] = [
  { procedure: "status", allowed: () => true, call: async (c) => { const x = await challenger(1); return () => c.promotion.status(x); } },
  { procedure: "approvals", allowed: () => true, call: async (c) => { const x = await challenger(1); return () => c.promotion.approvals(x); } },
  { procedure: "approve", allowed: (r) => RANK[r] >= RANK.ADMIN, call: async (c) => { const x = await challenger(1); return () => c.promotion.approve(x); } },
  { procedure: "reject", allowed: (r) => RANK[r] >= RANK.ADMIN, call: async (c) => { const x = await challenger(1); return () => c.promotion.reject(x); } },
  { procedure: "promote", allowed: (r) => RANK[r] >= RANK.ADMIN, call: async (c) => { const x = await challenger(0); return () => c.promotion.promote(x); } },
  { procedure: "override", allowed: (r, token) => r === "OWNER" && !token, call: async (c) => { const x = await challenger(5); return () => c.promotion.override({ ...x, reason: "matrix" }); } },
  {
    procedure: "rollback",
    allowed: (r) => RANK[r] >= RANK.ADMIN,
    call: async (c) => {
      const x = await challenger(5);
      await callerAs(w.owner).promotion.override({ ...x, reason: "so there is something to roll back" });
      return () => c.promotion.rollback({ projectId: x.projectId, modelId: x.modelId });
    },
  },
];

describe("promotion role matrix", () => {
  it.each(CASES.map((c) => [c.procedure, c] as const))("%s", async (_name, c) => {
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const a of actors) {
      got[a.name] = await outcome(await c.call(a.caller));
      want[a.name] = c.allowed(a.role, a.token) ? "OK" : "FORBIDDEN";
    }
    expect(got).toEqual(want);
  });
});
