/**
 * Request bodies through the real tRPC route handler: an anonymous caller is refused before its
 * body is read (the test counts the bytes pulled from the body stream), and an authenticated body
 * above the procedure's limit is refused with 413 JSON after at most the limit was read.
 */
import { beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { POST } from "@/app/api/trpc/[trpc]/route";
import { callerAs, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { TRPC_BODY_LIMIT } from "./body-limit";

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A JSON body of about `size` bytes produced on demand, with a count of what the server pulled. */
function lazyBody(size: number, prefix: string, suffix: string) {
  const counter = { pulled: 0 };
  const enc = new TextEncoder();
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let chunk: Uint8Array;
        if (sent === 0) chunk = enc.encode(prefix);
        else if (sent >= size) {
          controller.enqueue(enc.encode(suffix));
          counter.pulled += suffix.length;
          return controller.close();
        } else chunk = enc.encode("x".repeat(CHUNK));
        sent += chunk.byteLength;
        counter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

function post(path: string, body: ReadableStream<Uint8Array> | string, authorization: string) {
  return POST(
    new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body,
      duplex: "half",
    } as RequestInit),
  );
}

let owner: TestUser;
let secret: string;
let projectId: string;

beforeAll(async () => {
  owner = await createUser();
  secret = (await mintToken(owner)).secret;
  projectId = (await createTestProject(owner.orgId, owner)).id;
});

describe("tRPC request bodies", () => {
  it("refuses an anonymous 20 MB body with 401 without reading it", async () => {
    const { stream, counter } = lazyBody(20 * MiB, '{"json":{"orgId":"x","name":"', '"}}');
    const res = await post("project.create", stream, "Bearer cairn_not_a_token");
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { json: { data: { code: string } } } }).error.json.data.code).toBe("UNAUTHORIZED");
    expect(counter.pulled).toBeLessThan(CHUNK * 2);
  });

  it("refuses an authenticated body above the limit with 413 JSON after reading at most the limit", async () => {
    const { stream, counter } = lazyBody(20 * MiB, `{"json":{"orgId":"${owner.orgId}","name":"`, '"}}');
    const res = await post("project.create", stream, `Bearer ${secret}`);
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.json.message).toMatch(/larger than this endpoint accepts/);
    expect(counter.pulled).toBeLessThanOrEqual(TRPC_BODY_LIMIT + CHUNK);
    expect(await callerAs(owner).project.list({ orgId: owner.orgId })).toHaveLength(1);
  });

  it("refuses a declared Content-Length above the limit without reading the body", async () => {
    const { stream, counter } = lazyBody(4 * MiB, `{"json":{"orgId":"${owner.orgId}","name":"`, '"}}');
    const req = new Request("http://localhost/api/trpc/project.create", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}`, "content-length": String(4 * MiB) },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await POST(req);
    expect(res.status).toBe(413);
    expect(counter.pulled).toBe(0);
  });

  it("accepts a full metric batch (several MB) for run.logMetrics", async () => {
    const run = await callerAs(owner).run.create({ projectId, experiment: "big" });
    const points = Array.from({ length: 10_000 }, (_, i) => ({ key: `loss/${"k".repeat(200)}`, step: i, value: i / 10 }));
    const body = JSON.stringify(superjson.serialize({ projectId, runId: run.id, points }));
    expect(body.length).toBeGreaterThan(TRPC_BODY_LIMIT);
    const res = await post("run.logMetrics", body, `Bearer ${secret}`);
    expect(res.status).toBe(200);
  });
});
