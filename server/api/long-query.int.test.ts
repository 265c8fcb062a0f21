/**
 * A query with a long input (a pipeline YAML the editor validates) must reach the server: through the
 * browser's links it goes as a POST, which the route allows. As a GET its URL would pass Node's 16 KB
 * header limit and the server would refuse it (431) before tRPC saw it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/trpc/[trpc]/route";
import { browserLinks } from "@/app/_lib/trpc-links";
import type { AppRouter } from "./root";
import { createTestProject, createUser, mintToken } from "../testing/factories";

let server: http.Server;
let base = "";
let token = "";
let projectId = "";

beforeAll(async () => {
  const owner = await createUser();
  projectId = (await createTestProject(owner.orgId, owner)).id;
  token = (await mintToken(owner, { role: "VIEWER", projectId })).secret;
  // The real route handler behind a real node:http server (its default 16 KB header limit included).
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://localhost${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "GET" ? undefined : body });
      void (req.method === "GET" ? GET(request) : POST(request)).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const longYaml = () => `name: long\n# ${"x".repeat(20_000)}\nsteps:\n  - { id: gate, uses: gate }\n`;

describe("long query inputs", () => {
  it("the browser's links send a long query as a POST and get its answer", async () => {
    const client = createTRPCClient<AppRouter>({ links: browserLinks(base, { authorization: `Bearer ${token}` }) });
    const checked = await client.pipeline.validate.query({ projectId, yaml: longYaml() });
    expect(checked).toMatchObject({ ok: true, name: "long", steps: [{ id: "gate", kind: "gate" }] });
    // Short queries still go as GETs (batched), as before.
    expect(await client.pipeline.list.query({ projectId })).toEqual([]);
  });

  it("the same query as a GET is refused by the server before tRPC sees it", async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: base, transformer: superjson, headers: { authorization: `Bearer ${token}` } })] });
    await expect(client.pipeline.validate.query({ projectId, yaml: longYaml() })).rejects.toThrow();
  });
});
