/**
 * The roles matrix: every procedure of the root router, called by every kind of caller (users of each
 * role, org-wide and project-scoped API tokens of each role), allowed or FORBIDDEN exactly as the
 * procedure's minimum role says. A refused call must leave the organisation unchanged.
 */
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { requestPing } from "../system/ping";
import { inviteMember } from "../tenancy/invitations";
import type { ProjectDto } from "../tenancy/schemas";
import { addMember, callerAs, callerWithToken, createTestProject, createUser, mintToken, TEST_PASSWORD, uniq, type TestUser } from "../testing/factories";
import { orgState } from "../testing/org-state";
import { appRouter } from "./root";

type Role = "OWNER" | "ADMIN" | "MEMBER" | "VIEWER";
type Caller = ReturnType<typeof callerAs>;

// The test keeps its own ranking so that it does not check the code with the code.
const RANK: Record<Role, number> = { OWNER: 4, ADMIN: 3, MEMBER: 2, VIEWER: 1 };

type ActorSpec =
  | { kind: "user"; role: Role }
  | { kind: "token"; role: Exclude<Role, "OWNER">; scope: "org" | "project" };

const ACTORS: ActorSpec[] = [
  { kind: "user", role: "OWNER" },
  { kind: "user", role: "ADMIN" },
  { kind: "user", role: "MEMBER" },
  { kind: "user", role: "VIEWER" },
  { kind: "token", role: "ADMIN", scope: "org" },
  { kind: "token", role: "MEMBER", scope: "org" },
  { kind: "token", role: "VIEWER", scope: "org" },
  { kind: "token", role: "ADMIN", scope: "project" },
  { kind: "token", role: "MEMBER", scope: "project" },
  { kind: "token", role: "VIEWER", scope: "project" },
];

const actorName = (a: ActorSpec) => (a.kind === "user" ? `user ${a.role}` : `${a.scope} token ${a.role}`);

/** Who a procedure admits, as its definition in server/api/routers says. */
type Access =
  | { kind: "public" } // publicProcedure
  | { kind: "signed-in" } // protectedProcedure without a role check
  | { kind: "user-only" } // userProcedure: signed-in users, never tokens
  | { kind: "installation-admin" } // installation admins only: none of the actors here
  | { kind: "org"; min: Role; projectTokens: boolean } // orgProcedure(min, { allowProjectTokens })
  | { kind: "project"; min: Role }; // projectProcedure(min)

function allowed(access: Access, actor: ActorSpec): boolean {
  switch (access.kind) {
    case "public":
    case "signed-in":
      return true;
    case "user-only":
      return actor.kind === "user";
    case "installation-admin":
      return false;
    case "org":
      if (actor.kind === "token" && actor.scope === "project" && !access.projectTokens) return false;
      return RANK[actor.role] >= RANK[access.min];
    case "project":
      return RANK[actor.role] >= RANK[access.min];
  }
}

interface World {
  owner: TestUser;
  orgId: string;
  orgSlug: string;
  project: ProjectDto;
  caller: Caller;
}

async function buildWorld(actor: ActorSpec): Promise<World> {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  let caller: Caller;
  if (actor.kind === "user") {
    // A second account holding the role, so the OWNER case is not the org's only owner.
    const user = await createUser();
    await addMember(owner.orgId, user, actor.role);
    caller = callerAs(user);
  } else {
    const { secret } = await mintToken(owner, { role: actor.role, projectId: actor.scope === "project" ? project.id : undefined });
    caller = await callerWithToken(secret);
  }
  return { owner, orgId: owner.orgId, orgSlug: owner.orgSlug, project, caller };
}

const ownerActor = (w: World) => ({ type: "user" as const, id: w.owner.userId, label: w.owner.email });

async function newMember(w: World, role: Role) {
  const user = await createUser();
  await addMember(w.orgId, user, role);
  return user;
}

interface Case {
  procedure: string;
  access: Access;
  /** Prepares what the call needs (a member to change, a token to revoke) and returns the call itself. */
  call: (w: World) => Promise<() => Promise<unknown>>;
}

/** Routers of the foundation; each later domain's router keeps its own matrix beside it. */
const FOUNDATION_ROUTERS = ["auth", "org", "project", "member", "invitation", "token", "audit", "worker", "system"];

const CASES: Case[] = [
  {
    procedure: "auth.signUp",
    access: { kind: "public" },
    call: async (w) => () => w.caller.auth.signUp({ email: `${uniq("new")}@example.test`, name: uniq("new"), password: TEST_PASSWORD }),
  },
  { procedure: "auth.me", access: { kind: "signed-in" }, call: async (w) => () => w.caller.auth.me() },
  { procedure: "auth.signUpPolicy", access: { kind: "public" }, call: async (w) => () => w.caller.auth.signUpPolicy() },
  { procedure: "auth.signOutEverywhere", access: { kind: "user-only" }, call: async (w) => () => w.caller.auth.signOutEverywhere() },
  { procedure: "org.list", access: { kind: "signed-in" }, call: async (w) => () => w.caller.org.list() },
  { procedure: "org.get", access: { kind: "signed-in" }, call: async (w) => () => w.caller.org.get({ orgSlug: w.orgSlug }) },
  { procedure: "org.create", access: { kind: "user-only" }, call: async (w) => () => w.caller.org.create({ name: uniq("org") }) },
  {
    procedure: "org.rename",
    access: { kind: "org", min: "ADMIN", projectTokens: false },
    call: async (w) => () => w.caller.org.rename({ orgId: w.orgId, name: uniq("renamed") }),
  },
  {
    procedure: "project.list",
    access: { kind: "org", min: "VIEWER", projectTokens: true },
    call: async (w) => () => w.caller.project.list({ orgId: w.orgId }),
  },
  { procedure: "project.get", access: { kind: "signed-in" }, call: async (w) => () => w.caller.project.get({ projectId: w.project.id }) },
  {
    procedure: "project.create",
    access: { kind: "org", min: "ADMIN", projectTokens: false },
    call: async (w) => () => w.caller.project.create({ orgId: w.orgId, name: uniq("project") }),
  },
  {
    procedure: "project.rename",
    access: { kind: "project", min: "ADMIN" },
    call: async (w) => () => w.caller.project.rename({ projectId: w.project.id, name: uniq("renamed") }),
  },
  { procedure: "project.activity", access: { kind: "project", min: "VIEWER" }, call: async (w) => () => w.caller.project.activity({ projectId: w.project.id }) },
  {
    procedure: "project.setPrimaryMetric",
    access: { kind: "project", min: "ADMIN" },
    call: async (w) => () => w.caller.project.setPrimaryMetric({ projectId: w.project.id, primaryMetric: { key: "test/rmse", goal: "min" } }),
  },
  {
    procedure: "project.delete",
    access: { kind: "project", min: "ADMIN" },
    call: async (w) => () => w.caller.project.delete({ projectId: w.project.id }),
  },
  {
    procedure: "member.list",
    access: { kind: "org", min: "VIEWER", projectTokens: false },
    call: async (w) => () => w.caller.member.list({ orgId: w.orgId }),
  },
  {
    procedure: "member.invite",
    access: { kind: "org", min: "ADMIN", projectTokens: false },
    call: async (w) => {
      const { email } = await createUser();
      return () => w.caller.member.invite({ orgId: w.orgId, email, role: "MEMBER" });
    },
  },
  {
    procedure: "member.cancelInvitation",
    access: { kind: "org", min: "ADMIN", projectTokens: false },
    call: async (w) => {
      const invited = await inviteMember({ orgId: w.orgId, actor: ownerActor(w), actorRole: "OWNER", email: `${uniq("inv")}@example.test`, role: "MEMBER" });
      return () => w.caller.member.cancelInvitation({ orgId: w.orgId, invitationId: invited.invitation.id });
    },
  },
  {
    procedure: "invitation.preview",
    access: { kind: "public" },
    call: async (w) => {
      const invited = await inviteMember({ orgId: w.orgId, actor: ownerActor(w), actorRole: "OWNER", email: `${uniq("inv")}@example.test`, role: "MEMBER" });
      return () => w.caller.invitation.preview({ secret: invited.link.split("/invite/")[1]! });
    },
  },
  {
    procedure: "invitation.accept",
    access: { kind: "user-only" },
    call: async (w) => {
      const other = await createUser();
      const actor = { type: "user" as const, id: other.userId, label: other.email };
      const invited = await inviteMember({ orgId: other.orgId, actor, actorRole: "OWNER", email: `${uniq("inv")}@example.test`, role: "MEMBER" });
      return () => w.caller.invitation.accept({ secret: invited.link.split("/invite/")[1]! });
    },
  },
  { procedure: "invitation.listMine", access: { kind: "user-only" }, call: async (w) => () => w.caller.invitation.listMine() },
  {
    procedure: "invitation.respond",
    access: { kind: "user-only" },
    call: async (w) => {
      // An invitation made for the caller's own account (tokens have none and are refused first).
      const me = await w.caller.auth.me();
      const other = await createUser();
      const actor = { type: "user" as const, id: other.userId, label: other.email };
      const email = me.email ?? `${uniq("inv")}@example.test`;
      const invited = await inviteMember({ orgId: other.orgId, actor, actorRole: "OWNER", email, role: "MEMBER" });
      return () => w.caller.invitation.respond({ invitationId: invited.invitation.id, accept: true });
    },
  },
  {
    procedure: "member.setRole",
    access: { kind: "org", min: "ADMIN", projectTokens: false },
    call: async (w) => {
      const { userId } = await newMember(w, "MEMBER");
      return () => w.caller.member.setRole({ orgId: w.orgId, userId, role: "VIEWER" });
    },
  },
  {
    // The procedure admits VIEWERs so that anyone can leave; removing someone else needs ADMIN (members.ts).
    procedure: "member.remove",
    access: { kind: "org", min: "ADMIN", projectTokens: false },
    call: async (w) => {
      const { userId } = await newMember(w, "MEMBER");
      return () => w.caller.member.remove({ orgId: w.orgId, userId });
    },
  },
  {
    procedure: "token.create",
    access: { kind: "org", min: "ADMIN", projectTokens: true },
    call: async (w) => () => w.caller.token.create({ orgId: w.orgId, name: uniq("token"), role: "VIEWER", projectId: w.project.id }),
  },
  {
    procedure: "token.list",
    access: { kind: "org", min: "ADMIN", projectTokens: true },
    call: async (w) => () => w.caller.token.list({ orgId: w.orgId }),
  },
  {
    procedure: "token.revoke",
    access: { kind: "org", min: "ADMIN", projectTokens: true },
    call: async (w) => {
      const { token } = await mintToken(w.owner, { role: "VIEWER", projectId: w.project.id });
      return () => w.caller.token.revoke({ orgId: w.orgId, tokenId: token.id });
    },
  },
  {
    procedure: "audit.list",
    access: { kind: "org", min: "ADMIN", projectTokens: false },
    call: async (w) => () => w.caller.audit.list({ orgId: w.orgId }),
  },
  { procedure: "worker.list", access: { kind: "signed-in" }, call: async (w) => () => w.caller.worker.list({ includeOffline: true }) },
  { procedure: "worker.pool", access: { kind: "org", min: "VIEWER", projectTokens: false }, call: async (w) => () => w.caller.worker.pool({ orgId: w.orgId }) },
  { procedure: "worker.tokens", access: { kind: "org", min: "ADMIN", projectTokens: false }, call: async (w) => () => w.caller.worker.tokens({ orgId: w.orgId }) },
  { procedure: "worker.createToken", access: { kind: "org", min: "ADMIN", projectTokens: false }, call: async (w) => () => w.caller.worker.createToken({ orgId: w.orgId, name: "box" }) },
  {
    procedure: "worker.revokeToken",
    access: { kind: "org", min: "ADMIN", projectTokens: false },
    call: async (w) => {
      const { token } = await callerAs(w.owner).worker.createToken({ orgId: w.orgId, name: "box" });
      return () => w.caller.worker.revokeToken({ orgId: w.orgId, tokenId: token.id });
    },
  },
  { procedure: "worker.orgPools", access: { kind: "installation-admin" }, call: async (w) => () => w.caller.worker.orgPools() },
  {
    procedure: "worker.setSharedCommands",
    access: { kind: "installation-admin" },
    call: async (w) => () => w.caller.worker.setSharedCommands({ orgId: w.orgId, allowed: true }),
  },
  {
    procedure: "system.ping",
    access: { kind: "org", min: "MEMBER", projectTokens: false },
    call: async (w) => () => w.caller.system.ping({ orgId: w.orgId }),
  },
  {
    procedure: "system.getPing",
    access: { kind: "org", min: "VIEWER", projectTokens: false },
    call: async (w) => {
      const ping = await requestPing({ orgId: w.orgId, actor: ownerActor(w), holdMs: 0 });
      return () => w.caller.system.getPing({ orgId: w.orgId, pingId: ping.id });
    },
  },
  {
    procedure: "system.pings",
    access: { kind: "org", min: "VIEWER", projectTokens: false },
    call: async (w) => () => w.caller.system.pings({ orgId: w.orgId }),
  },
  { procedure: "system.health", access: { kind: "signed-in" }, call: async (w) => () => w.caller.system.health() },
];

describe("the roles matrix", () => {
  it("covers every procedure of the foundation's routers", () => {
    const procedures = Object.keys(appRouter._def.procedures)
      .filter((p) => FOUNDATION_ROUTERS.includes(p.split(".")[0]!))
      .sort();
    expect(procedures.length).toBeGreaterThan(20);
    expect(CASES.map((c) => c.procedure).sort()).toEqual(procedures);
  });

  describe.each(ACTORS.map((a) => [actorName(a), a] as const))("%s", (_name, actor) => {
    it.concurrent.for(CASES.map((c) => [c.procedure, allowed(c.access, actor) ? "allowed" : "FORBIDDEN", c] as const))(
      "%s is %s",
      async ([, outcome, c], { expect }) => {
        const w = await buildWorld(actor);
        const invoke = await c.call(w);
        if (outcome === "allowed") {
          await expect(invoke()).resolves.toBeDefined();
          return;
        }
        const before = await orgState(w.orgId);
        await expect(invoke()).rejects.toMatchObject({ code: "FORBIDDEN" });
        expect(await orgState(w.orgId)).toEqual(before);
      },
    );
  });

  describe("leaving (member.remove of oneself)", () => {
    it.concurrent.for(["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const)("a %s may leave", async (role, { expect }) => {
      const owner = await createUser();
      const leaver = await createUser();
      await addMember(owner.orgId, leaver, role);
      await expect(callerAs(leaver).member.remove({ orgId: owner.orgId, userId: leaver.userId })).resolves.toEqual({ userId: leaver.userId });
      expect(await db().membership.count({ where: { orgId: owner.orgId, userId: leaver.userId } })).toBe(0);
    });
  });
});
