/**
 * Bad input at the tRPC layer is BAD_REQUEST (HTTP 400) with a message a person can read, never an
 * INTERNAL_SERVER_ERROR, and changes nothing. Checked through the caller and through the HTTP handler,
 * where the error formatter turns zod issues into "path: message; ..." text.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "../tenancy/access";
import { addMember, callerAs, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { orgState } from "../testing/org-state";
import { requestPing } from "../system/ping";
import { appRouter } from "./root";

interface HttpResult {
  status: number;
  code: string | undefined;
  message: string;
}

/** Calls a procedure the way the browser and CI do: through the fetch adapter, with a superjson body. */
async function overHttp(identity: Identity, path: string, input: unknown, raw = false): Promise<HttpResult> {
  // At run time the router's procedures are a flat record keyed by dotted path.
  const type = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>)[path];
  if (!type) throw new Error(`no procedure ${path}`);
  const body = raw ? JSON.stringify(input) : JSON.stringify(superjson.serialize(input));
  const url = new URL(`http://localhost/api/trpc/${path}`);
  const init: RequestInit = { headers: { "content-type": "application/json" } };
  if (type._def.type === "query") url.searchParams.set("input", body);
  else Object.assign(init, { method: "POST", body });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(url, init),
    router: appRouter,
    createContext: async () => ({ identity, badToken: false, ip: "127.0.0.1" }),
  });
  const json = (await res.json()) as { error?: { json?: { message?: string; data?: { code?: string } } } };
  return { status: res.status, code: json.error?.json?.data?.code, message: json.error?.json?.message ?? "" };
}

let owner: TestUser;
let orgId: string;
let projectId: string;
let userId: string;
let tokenId: string;
let pingId: string;

beforeAll(async () => {
  owner = await createUser();
  orgId = owner.orgId;
  projectId = (await createTestProject(orgId, owner)).id;
  const member = await createUser();
  userId = member.userId;
  await addMember(orgId, member, "MEMBER");
  tokenId = (await mintToken(owner)).token.id;
  pingId = (await requestPing({ orgId, actor: { type: "user", id: owner.userId, label: owner.email }, holdMs: 0 })).id;
});

const long = (n: number) => "x".repeat(n);
const past = () => new Date(Date.now() - 60_000);

/** [procedure, input, a fragment the message must contain] */
const CASES: [string, () => unknown, string][] = [
  ["org.create", () => ({ name: long(101) }), "name: must be at most 100 characters"],
  ["org.create", () => ({ name: "   " }), "name: must not be empty"],
  ["org.create", () => ({ name: 42 }), "name:"],
  ["org.create", () => ({ name: "Fine", slug: "Not A Slug" }), "slug: use lowercase letters, digits and single dashes"],
  ["org.create", () => ({ name: "Fine", slug: "api" }), "slug: is a reserved word"],
  ["org.create", () => ({ name: "Fine", slug: long(49) }), "slug: must be at most 48 characters"],
  ["org.rename", () => ({ orgId, name: long(101) }), "name: must be at most 100 characters"],
  ["org.rename", () => ({ orgId: 123, name: "x" }), "orgId:"],
  ["org.rename", () => ({ orgId: "../../etc/passwd", name: "x" }), "orgId: must be an id"],
  ["org.rename", () => ({ orgId: long(65), name: "x" }), "orgId:"],
  ["org.rename", () => ({ orgId: "x' OR '1'='1", name: "x" }), "orgId: must be an id"],
  ["org.rename", () => "just a string", "input:"],
  ["org.get", () => ({ orgSlug: "" }), "orgSlug:"],
  ["org.get", () => ({ orgSlug: long(65) }), "orgSlug:"],
  ["project.create", () => ({ orgId, name: "Fine", description: long(2001) }), "description:"],
  ["project.create", () => ({ orgId, name: "Fine", slug: "UPPER" }), "slug:"],
  ["project.get", () => ({}), "input:"],
  ["project.get", () => ({ projectId: "not an id!" }), "projectId: must be an id"],
  ["project.rename", () => ({ projectId, name: "" }), "name: must not be empty"],
  ["project.delete", () => ({ projectId: null }), "projectId:"],
  ["member.invite", () => ({ orgId, email: "not-an-email", role: "MEMBER" }), "email: must be an e-mail address"],
  ["member.invite", () => ({ orgId, email: "someone@example.test", role: "SUPERUSER" }), "role:"],
  ["member.setRole", () => ({ orgId, userId, role: "SUPERUSER" }), "role:"],
  ["member.setRole", () => ({ orgId, userId, role: "owner" }), "role:"],
  ["member.setRole", () => ({ orgId, userId: "a b", role: "VIEWER" }), "userId: must be an id"],
  ["member.remove", () => ({ orgId, userId: ["x"] }), "userId:"],
  ["member.cancelInvitation", () => ({ orgId, invitationId: "" }), "invitationId:"],
  ["invitation.preview", () => ({ secret: "short" }), "secret:"],
  ["invitation.accept", () => ({ secret: "../../etc/passwd-and-more-characters" }), "secret: is not an invitation link"],
  ["invitation.respond", () => ({ invitationId: "x", accept: "yes" }), "accept:"],
  ["token.create", () => ({ orgId, name: "ci", role: "OWNER" }), "role:"],
  ["token.create", () => ({ orgId, name: "ci", role: "SUPERUSER" }), "role:"],
  ["token.create", () => ({ orgId, name: long(101), role: "VIEWER" }), "name: must be at most 100 characters"],
  ["token.create", () => ({ orgId, name: "ci", role: "VIEWER", expiresAt: "not a date" }), "expiresAt:"],
  ["token.create", () => ({ orgId, name: "ci", role: "VIEWER", expiresAt: past() }), "expiresAt: must be in the future"],
  ["token.create", () => ({ orgId, name: "ci", role: "VIEWER", projectId: "../x" }), "projectId: must be an id"],
  ["token.list", () => ({ orgId, includeRevoked: "yes" }), "includeRevoked:"],
  ["token.revoke", () => ({ orgId, tokenId: `${tokenId}!` }), "tokenId: must be an id"],
  ["audit.list", () => ({ orgId, limit: 0 }), "limit:"],
  ["audit.list", () => ({ orgId, limit: 1000 }), "limit:"],
  ["audit.list", () => ({ orgId, limit: "ten" }), "limit:"],
  ["audit.list", () => ({ orgId, action: long(65) }), "action:"],
  ["audit.list", () => ({ orgId, cursor: long(65) }), "cursor:"],
  ["worker.list", () => ({ includeOffline: "yes" }), "includeOffline:"],
  ["system.ping", () => ({ orgId, holdMs: -1 }), "holdMs:"],
  ["system.ping", () => ({ orgId, holdMs: 1.5 }), "holdMs:"],
  ["system.ping", () => ({ orgId, holdMs: "100" }), "holdMs:"],
  ["system.ping", () => ({ orgId, holdMs: 10_000_000 }), "holdMs:"],
  ["system.getPing", () => ({ orgId, pingId: `${pingId}/..` }), "pingId: must be an id"],
  ["auth.signUp", () => ({ email: "x", name: "", password: "short" }), "email: must be an e-mail address; name: must not be empty; password: must be at least 10 characters"],
  ["auth.signUp", () => ({ email: "new@example.test", name: "New", password: long(201) }), "password: must be at most 200 characters"],
];

describe("bad input", () => {
  it.each(CASES.map(([path, input, fragment]) => [path, fragment, input] as const))("%s → BAD_REQUEST %j", async (path, fragment, input) => {
    const before = await orgState(orgId);
    // Through the caller (server components, tests): a TRPCError with BAD_REQUEST.
    const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], callerAs(owner));
    await expect((procedure as (i: unknown) => Promise<unknown>)(input())).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Through HTTP: 400 with the formatter's readable message.
    const res = await overHttp(owner, path, input());
    expect(res).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(res.message).toContain(fragment);
    expect(res.message).not.toMatch(/^\s*[[{]/);
    expect(await orgState(orgId)).toEqual(before);
  });

  it("refuses a body that is not superjson-shaped as BAD_REQUEST", async () => {
    const res = await overHttp(owner, "org.rename", { json: { orgId: 5, name: [] } }, true);
    expect(res).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(res.message).toBe("orgId: Invalid input: expected string, received number");
  });

  it("checks access before input shape, so anonymous callers learn nothing from validation", async () => {
    const res = await overHttp(null as unknown as Identity, "org.rename", { orgId: "bad id", name: long(500) });
    expect(res).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
  });

  it.each([
    ["org.rename", () => ({ orgId, name: "nul\u0000byte" })],
    ["project.create", () => ({ orgId, name: "Fine", description: "nul\u0000byte" })],
    ["org.get", () => ({ orgSlug: "nul\u0000byte" })],
    ["project.get", () => ({ orgSlug: owner.orgSlug, projectSlug: "nul\u0000" })],
    ["audit.list", () => ({ orgId, action: "member.\u0000" })],
    ["audit.list", () => ({ orgId, cursor: "nul\u0000byte" })],
    ["member.invite", () => ({ orgId, email: "nul\u0000@example.test", role: "MEMBER" })],
  ] as const)("refuses a NUL character in %s as BAD_REQUEST, not a database error", async (path, input) => {
    const before = await orgState(orgId);
    const res = await overHttp(owner, path, input());
    expect(res).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(res.message).toMatch(/^[\w.]+: must not contain NUL characters$/);
    expect(await orgState(orgId)).toEqual(before);
  });

  it("answers a token the same way", async () => {
    const { secret } = await mintToken(owner, { role: "ADMIN" });
    const { verifyBearer } = await import("../auth/tokens");
    const identity = await verifyBearer(secret);
    expect(identity).not.toBeNull();
    const res = await overHttp(identity!, "member.setRole", { orgId, userId, role: "SUPERUSER" });
    expect(res).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(res.message).toContain("role:");
  });
});
