/**
 * A/B assignment is sticky across a cluster: two serving processes (each with its own route table and
 * model cache) answer the same request key with the same version, and a separate Node process
 * computes the same buckets (nothing per-process, such as a random salt, enters the hash).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { registerFromRun } from "../registry/register";
import { mintToken } from "../testing/factories";
import { projectWithTrainedRun, trainRun } from "../testing/registry";
import { DEPLOYMENTS_CHANNEL } from "./schemas";
import { startServingServer, type ServingServer } from "./server";
import { keyBucket } from "./split";

const exec = promisify(execFile);
let servers: ServingServer[] = [];
let secret: string;
let deploymentId: string;
const row = { distance_km: "4.9", traffic_index: "5.1", weather: "rain", hour: "8", weekday: "4", vehicle_type: "van", region: "central", driver_experience_years: "6.9" };

beforeAll(async () => {
  const setup = await projectWithTrainedRun({ rows: 300 });
  const actor = { type: "user" as const, id: setup.owner.userId, label: setup.owner.email };
  const second = await trainRun(setup.caller, setup.project.id, setup.version.id, { rounds: 30 });
  const versions = [];
  for (const runId of [setup.run.id, second.id]) versions.push((await registerFromRun({ projectId: setup.project.id, orgId: setup.owner.orgId, actor, modelName: "eta", runId })).version);
  const environmentId = (await db().environment.create({ data: { projectId: setup.project.id, name: "production" } })).id;
  secret = (await mintToken(setup.owner, { role: "VIEWER", projectId: setup.project.id })).secret;
  servers = await Promise.all([0, 1].map(() => startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, log: () => undefined, predictionLog: false })));
  const d = await db().deployment.create({
    data: { projectId: setup.project.id, environmentId, name: "eta-ab", modelId: versions[0]!.modelId, createdById: setup.owner.userId, strategy: "ab", stableVersionId: versions[0]!.id, candidateVersionId: versions[1]!.id, candidatePercent: 50 },
  });
  deploymentId = d.id;
  await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, d.id]);
  for (const s of servers) {
    const deadline = Date.now() + 15_000;
    while ((await fetch(`${s.url}/v2/models/eta-ab/ready`, { headers: { authorization: `Bearer ${secret}` } })).status !== 200) {
      if (Date.now() > deadline) throw new Error("deployment not ready");
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}, 240_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function versionFor(server: ServingServer, key: string): Promise<string> {
  const res = await fetch(`${server.url}/v2/models/eta-ab/infer`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "x-cairn-key": key },
    body: JSON.stringify({ instances: [row] }),
  });
  expect(res.status).toBe(200);
  return res.headers.get("x-cairn-model-version")!;
}

describe("sticky A/B assignment across processes", () => {
  it("two serving processes answer each key with the same version, every time, and both arms get keys", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
    const seen = new Set<string>();
    for (const key of keys) {
      const first = await versionFor(servers[0]!, key);
      expect(await versionFor(servers[1]!, key)).toBe(first);
      expect(await versionFor(servers[0]!, key)).toBe(first);
      // The arm is the key's bucket: under 50 the candidate (v2) answers.
      expect(first.endsWith(keyBucket(deploymentId, key) < 50 ? ":2" : ":1")).toBe(true);
      seen.add(first);
    }
    expect(seen.size).toBe(2);
  });

  it("another Node process computes the same buckets", async () => {
    const keys = ["a", "customer-7", "ünïcode-key", "x".repeat(200)];
    const script = `import { keyBucket } from ${JSON.stringify(path.resolve("server/serving/split.ts"))}; console.log(JSON.stringify(${JSON.stringify(keys)}.map((k) => keyBucket(${JSON.stringify(deploymentId)}, k))));`;
    const { stdout } = await exec(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    expect(JSON.parse(stdout)).toEqual(keys.map((k) => keyBucket(deploymentId, k)));
  });
});
