/**
 * The access matrix, generated from the router itself: every procedure of appRouter is called as an
 * anonymous caller (UNAUTHORIZED unless public), as the owner of another organisation (NOT_FOUND),
 * as each role below the one it needs (FORBIDDEN) and with a project-scoped token of another project
 * (NOT_FOUND, or FORBIDDEN for org-wide actions). Who may call what, and a minimal valid input, come
 * from PROCEDURE_MATRIX (server/testing/procedure-matrix.ts); a procedure without an entry fails here.
 */
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../tenancy/schemas";
import { addMember, callerAs, callerWithToken, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { PROCEDURE_MATRIX, type MatrixEntry, type MatrixFixture } from "../testing/procedure-matrix";
import { appRouter } from "./root";

type Caller = ReturnType<typeof callerAs>;
type Outcome = "OK" | TRPCError["code"];

// At run time the router's procedures are a flat record keyed by dotted path.
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>;
const PATHS = Object.keys(procedures).sort();

const fixture = {} as MatrixFixture;
const callers = {} as Record<"anonymous" | "otherOrg" | "otherProjectToken" | Role, Caller>;

beforeAll(async () => {
  const owner: TestUser = await createUser();
  const users: Partial<Record<Role, TestUser>> = { OWNER: owner };
  for (const role of ["ADMIN", "MEMBER", "VIEWER"] as const) {
    const user = await createUser();
    await addMember(owner.orgId, user, role);
    users[role] = user;
  }
  const project = await createTestProject(owner.orgId, owner);
  const otherProject = await createTestProject(owner.orgId, owner);
  const asOwner = callerAs(owner);
  const run = await asOwner.run.create({ projectId: project.id, experiment: "matrix" });
  const dataset = await asOwner.dataset.create({ projectId: project.id, name: "Matrix dataset" });
  const token = await mintToken(owner, { role: "VIEWER" });
  Object.assign(fixture, {
    orgId: owner.orgId,
    orgSlug: owner.orgSlug,
    projectId: project.id,
    projectSlug: project.slug,
    runId: run.id,
    datasetId: dataset.id,
    memberUserId: users.MEMBER!.userId,
    tokenId: token.token.id,
    anyId: "cmatrix000000000000000000",
  } satisfies MatrixFixture);
  const scoped = await mintToken(owner, { role: "ADMIN", projectId: otherProject.id });
  Object.assign(callers, {
    anonymous: callerAs(null),
    otherOrg: callerAs(await createUser()),
    otherProjectToken: await callerWithToken(scoped.secret),
    ...Object.fromEntries(Object.entries(users).map(([role, user]) => [role, callerAs(user)])),
  });
});

async function call(caller: Caller, path: string, input: unknown): Promise<Outcome> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    await fn(input);
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

const rolesBelow = (min: Role) => ROLES.slice(ROLES.indexOf(min) + 1);

function otherProjectTokenExpectation(entry: MatrixEntry, input: unknown): Outcome | null {
  if (entry.otherProjectToken === "narrowed") return null;
  if (entry.otherProjectToken) return entry.otherProjectToken;
  if (entry.access === "public" || entry.access === "signed-in") return null;
  return typeof input === "object" && input !== null && "projectId" in input ? "NOT_FOUND" : "FORBIDDEN";
}

describe("access matrix over every procedure of appRouter", () => {
  it("has an entry for every procedure, and none for procedures that are gone", () => {
    const missing = PATHS.filter((p) => !(p in PROCEDURE_MATRIX));
    expect(missing, `Add an entry for ${missing.join(", ")} to PROCEDURE_MATRIX in server/testing/procedure-matrix.ts (who may call it and a minimal input)`).toEqual([]);
    const stale = Object.keys(PROCEDURE_MATRIX).filter((p) => !(p in procedures));
    expect(stale, "PROCEDURE_MATRIX names procedures the router no longer has").toEqual([]);
  });

  it.each(PATHS.filter((p) => p in PROCEDURE_MATRIX))("%s", async (path) => {
    const entry = PROCEDURE_MATRIX[path]!;
    const input = entry.input(fixture);
    // The sample input is valid for every parser of the procedure, so a refusal below is about access.
    for (const parser of procedures[path]!._def.inputs) {
      const parsed = (parser as z.ZodType).safeParse(input);
      expect(parsed.success, `${path}: sample input is invalid: ${parsed.error?.message}`).toBe(true);
    }

    const outcomes: Record<string, Outcome> = {};
    const expected: Record<string, Outcome> = {};
    if (entry.access !== "public") {
      outcomes.anonymous = await call(callers.anonymous, path, input);
      expected.anonymous = "UNAUTHORIZED";
    }
    if (entry.access !== "public" && (entry.access !== "signed-in" || entry.otherOrg)) {
      outcomes.otherOrg = await call(callers.otherOrg, path, input);
      expected.otherOrg = "NOT_FOUND";
    }
    if (entry.access !== "public" && entry.access !== "signed-in") {
      for (const role of rolesBelow(entry.access)) {
        outcomes[role] = await call(callers[role], path, input);
        expected[role] = "FORBIDDEN";
      }
    }
    const tokenExpectation = otherProjectTokenExpectation(entry, input);
    if (tokenExpectation) {
      outcomes.otherProjectToken = await call(callers.otherProjectToken, path, input);
      expected.otherProjectToken = tokenExpectation;
    }
    expect(outcomes).toEqual(expected);
  });
});
