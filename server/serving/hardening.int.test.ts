/**
 * The serving process under hostile or heavy traffic, on real sockets: a body trickled byte by byte
 * (slowloris) gets 408 and a closed socket within the deadline; shadow scorings past the in-flight
 * cap are dropped and counted, never delaying answers; versions are replaced and candidates added
 * through the deployments service while requests keep flowing, with no failed request.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENCODING_METADATA_KEY, ENCODING_VERSION, type EncodingSpec } from "../ml/features";
import { registerExternal } from "../registry/register";
import { callerAs, createTestProject, createUser, mintToken, type TestUser } from "../testing/factories";
import { linearModel } from "../testing/registry";
import { startServingServer, type ServingServer } from "./server";

const BODY_TIMEOUT_MS = 600;
let serving: ServingServer;
let capped: ServingServer;
let owner: TestUser;
let projectId: string;
let modelId: string;
let secret: string;
const versions: string[] = [];

const spec: EncodingSpec = { version: ENCODING_VERSION, missingTokens: [""], features: [{ name: "x", kind: "numeric" }], target: null };

async function until(check: () => Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function infer(server: ServingServer, name: string, rows = 1) {
  return fetch(`${server.url}/v2/models/${name}/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ instances: Array.from({ length: rows }, (_, i) => ({ x: i / 10 })) }),
  });
}

const ready = (server: ServingServer, name: string) => fetch(`${server.url}/v2/models/${name}/ready`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);

beforeAll(async () => {
  owner = await createUser();
  projectId = (await createTestProject(owner.orgId, owner)).id;
  const actor = { type: "user" as const, id: owner.userId, label: owner.email };
  // Three versions of one linear model: each answers 2x + intercept, so answers tell versions apart.
  for (const intercept of [1, 2, 3]) {
    const bytes = linearModel(intercept, { metadata: { [ENCODING_METADATA_KEY]: JSON.stringify(spec) } });
    const { version } = await registerExternal({ projectId, orgId: owner.orgId, actor, modelName: "lin", body: (async function* () { yield bytes; })() });
    versions.push(version.id);
    modelId = version.modelId;
  }
  secret = (await mintToken(owner, { role: "VIEWER", projectId })).secret;
  serving = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, log: () => undefined, bodyTimeoutMs: BODY_TIMEOUT_MS, predictionLog: false });
  capped = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, log: () => undefined, shadowMaxInFlight: 0, predictionLog: false });
}, 120_000);

afterAll(async () => {
  await serving?.close();
  await capped?.close();
});

/** Sends headers at once, then one body byte every `everyMs`; resolves with what the server sent and when the socket closed. */
function trickle(server: ServingServer, path: string, everyMs: number, headersOnly = false) {
  const { port } = new URL(server.url);
  return new Promise<{ text: string; closedAfterMs: number }>((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), "127.0.0.1");
    let text = "";
    let timer: NodeJS.Timeout | undefined;
    socket.on("data", (d) => (text += d.toString("utf8")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    socket.on("connect", () => {
      const body = JSON.stringify({ instances: [{ x: 1 }] });
      if (headersOnly) socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\n`);
      else socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${secret}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      let i = 0;
      timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        socket.write(headersOnly ? `X-Slow-${i}: 1\r\n` : body[i % body.length]!);
        i++;
      }, everyMs);
    });
    setTimeout(() => reject(new Error("the server kept the trickling socket open")), 10 * BODY_TIMEOUT_MS).unref();
  });
}

describe("serving hardening", () => {
  it("answers a trickled body with 408 JSON and closes the socket within the body deadline", async () => {
    await callerAs(owner).deployment.create({ projectId, environment: "staging", name: "lin", modelId, versionId: versions[0] });
    await until(async () => (await ready(serving, "lin")) === 200);
    const slow = await trickle(serving, "/v2/models/lin/infer", 50);
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.text).toMatch(/connection: close/i);
    expect(JSON.parse(slow.text.slice(slow.text.indexOf("\r\n\r\n") + 4))).toEqual({ error: `The request body did not arrive within ${BODY_TIMEOUT_MS} ms` });
    expect(slow.closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + 2000);
    // The server keeps answering everyone else.
    expect((await infer(serving, "lin")).status).toBe(200);
  });

  it("closes a connection whose headers trickle in past the deadline", async () => {
    const slow = await trickle(serving, "/v2/models/lin/infer", 50, true);
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.closedAfterMs).toBeLessThan(BODY_TIMEOUT_MS + 2000);
  });

  it("drops shadow scorings over the in-flight cap and counts them; callers get their answers", async () => {
    const caller = callerAs(owner).deployment;
    const dep = await caller.create({ projectId, environment: "staging", name: "mirror", modelId, versionId: versions[0] });
    await caller.setCandidate({ projectId, deploymentId: dep.id, versionId: versions[1], strategy: "shadow" });
    await until(async () => (await ready(capped, "mirror")) === 200 && capped.routes.byName("mirror")[0]?.candidate !== null);
    const answers = await Promise.all(Array.from({ length: 10 }, () => infer(capped, "mirror", 3)));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.get("x-cairn-model-version")).toBe("lin:1");
      expect(((await res.json()) as { predictions: number[] }).predictions).toEqual([1, 1.2, 1.4].map((v) => expect.closeTo(v, 5)));
    }
    const metrics = await (await fetch(`${capped.url}/metrics`)).text();
    expect(metrics).toMatch(/cairn_serve_shadow_dropped_total\{deployment="mirror"\} 10/);
    expect(metrics).not.toMatch(/cairn_serve_shadow_scored_total\{deployment="mirror"/);
    // Under the cap (the default server), the same traffic is mirrored.
    await until(async () => serving.routes.byName("mirror")[0]?.candidate != null);
    for (let i = 0; i < 3; i++) expect((await infer(serving, "mirror")).status).toBe(200);
    await until(async () => /cairn_serve_shadow_scored_total\{deployment="mirror",version="lin:2"\} 3/.test(await (await fetch(`${serving.url}/metrics`)).text()));
  });

  it("replaces the version and adds a canary candidate under load through the deployments service: no failed request", async () => {
    const caller = callerAs(owner).deployment;
    const dep = await caller.create({ projectId, environment: "staging", name: "swap", modelId, versionId: versions[0] });
    await until(async () => (await ready(serving, "swap")) === 200);
    const seen: string[] = [];
    const failures: number[] = [];
    let stop = false;
    const loops = Array.from({ length: 6 }, async (_, k) => {
      while (!stop) {
        const res = await infer(serving, "swap", 2);
        if (res.status !== 200) failures.push(res.status);
        const body = (await res.json()) as { predictions?: number[] };
        // The answer's value must be that of the version the header names (intercept 1, 2 or 3 at x=0).
        const label = res.headers.get("x-cairn-model-version") ?? "none";
        if (body.predictions?.[0] !== Number(label.split(":")[1])) failures.push(-k - 1);
        seen.push(label);
      }
    });
    await until(async () => seen.length > 60);
    await caller.replace({ projectId, deploymentId: dep.id, versionId: versions[1] });
    await until(async () => seen.at(-1) === "lin:2");
    const replacedAt = seen.length;
    await until(async () => seen.length > replacedAt + 60);
    await caller.setCandidate({ projectId, deploymentId: dep.id, versionId: versions[2], strategy: "canary", candidatePercent: 50 });
    await until(async () => seen.slice(-20).includes("lin:3"));
    const canaryAt = seen.length;
    await until(async () => seen.length > canaryAt + 100);
    stop = true;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    expect(seen.slice(0, 40).every((v) => v === "lin:1")).toBe(true);
    // Once the change is seen, the old version answers no more (a few requests were already in flight).
    expect(seen.slice(replacedAt + 6).filter((v) => v === "lin:1")).toEqual([]);
    const afterCanary = seen.slice(canaryAt + 6);
    expect(new Set(afterCanary)).toEqual(new Set(["lin:2", "lin:3"]));
    expect(afterCanary.filter((v) => v === "lin:3").length).toBeGreaterThan(afterCanary.length * 0.25);
  });
});
