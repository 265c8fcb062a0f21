/**
 * A project with regression GBDT versions of one model ("eta"), trained here on the synthetic
 * deliveries, a production environment and a real serving process: the shadow and A/B tests produce
 * their prediction log through it, as production does.
 */
import { db, pool } from "../db";
import { encodeTrainingData, ENCODING_METADATA_KEY, fitEncodingSpec, type RawRow } from "../ml/features";
import { DELIVERY_COLUMNS, deliveryRows } from "../ml/synthetic/deliveries";
import { gbdt } from "../ml/trainers";
import { registerExternal } from "../registry/register";
import { DEPLOYMENTS_CHANNEL } from "../serving/schemas";
import { startServingServer, type ServingServer } from "../serving/server";
import { createTestProject, createUser, mintToken, type TestUser } from "./factories";

export interface ServingWorld {
  owner: TestUser;
  project: { id: string; slug: string };
  environmentId: string;
  serving: ServingServer;
  secret: string;
  /** Version ids by label: weak (2 rounds), strong (40 rounds), strongCopy (strong's ONNX with other metadata: same predictions, another version). */
  versions: { weak: string; strong: string; strongCopy: string };
  modelId: string;
}

/** Delivery rows with their label: features as a JSON client sends them (CSV text cells) and the true minutes. */
export function labelledRows(count: number, seed: number): { row: RawRow; minutes: number }[] {
  return deliveryRows(count, seed).map((cells) => {
    const row: Record<string, string> = Object.fromEntries(DELIVERY_COLUMNS.map((c, i) => [c, cells[i]!]));
    const minutes = Number(row.minutes);
    delete row.delivery_id;
    delete row.minutes;
    return { row, minutes };
  });
}

export async function servingWorld(): Promise<ServingWorld> {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const environmentId = (await db().environment.create({ data: { projectId: project.id, name: "production" } })).id;
  const records = deliveryRows(400, 5).map((cells) => Object.fromEntries(DELIVERY_COLUMNS.map((c, i) => [c, cells[i]!])));
  const spec = fitEncodingSpec(records, { features: DELIVERY_COLUMNS.filter((c) => c !== "delivery_id" && c !== "minutes"), target: { name: "minutes", task: "regression" } });
  const data = encodeTrainingData(spec, records);
  const actor = { type: "user" as const, id: owner.userId, label: owner.email };
  const register = async (bytes: Uint8Array) => {
    const { version } = await registerExternal({ projectId: project.id, orgId: owner.orgId, actor, modelName: "eta", body: (async function* () { yield bytes; })() });
    return version;
  };
  const strongModel = gbdt(data, { task: "regression", rounds: 40, maxDepth: 3 }).model;
  const weak = await register(gbdt(data, { task: "regression", rounds: 2, maxDepth: 2 }).model.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec) }));
  const strong = await register(strongModel.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec) }));
  const strongCopy = await register(strongModel.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec), note: "same trees, another file" }));
  const secret = (await mintToken(owner, { role: "VIEWER", projectId: project.id })).secret;
  const serving = await startServingServer({ port: 0, host: "127.0.0.1", pollMs: 60_000, log: () => undefined });
  return { owner, project, environmentId, serving, secret, versions: { weak: weak.id, strong: strong.id, strongCopy: strongCopy.id }, modelId: weak.modelId };
}

export async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The late-delivery threshold of the binary model: a delivery is "yes" (late) above it. */
export const LATE_MINUTES = 22;

/**
 * A binary model "late" (is a delivery over LATE_MINUTES?) with text labels "yes"/"no" in its target
 * encoding: a weak version (trained on labels in reverse row order, so without signal) and a strong one.
 */
export async function binaryVersions(w: ServingWorld): Promise<{ modelId: string; weak: string; strong: string }> {
  const records = deliveryRows(400, 8).map((cells) => {
    const r: Record<string, string> = Object.fromEntries(DELIVERY_COLUMNS.map((c, i) => [c, cells[i]!]));
    return { ...r, late: Number(r.minutes) > LATE_MINUTES ? "yes" : "no" };
  });
  const features = DELIVERY_COLUMNS.filter((c) => c !== "delivery_id" && c !== "minutes");
  const spec = fitEncodingSpec(records, { features, target: { name: "late", task: "binary" } });
  const data = encodeTrainingData(spec, records);
  const actor = { type: "user" as const, id: w.owner.userId, label: w.owner.email };
  const register = async (y: Float64Array) => {
    const bytes = gbdt({ ...data, y }, { task: "binary", rounds: 20, maxDepth: 3 }).model.toOnnx({ [ENCODING_METADATA_KEY]: JSON.stringify(spec) });
    return (await registerExternal({ projectId: w.project.id, orgId: w.owner.orgId, actor, modelName: "late", body: (async function* () { yield bytes; })() })).version;
  };
  // The weak version learnt the labels in reverse row order: no signal, a realistic bad candidate.
  const weak = await register(data.y.slice().reverse());
  const strong = await register(data.y);
  return { modelId: weak.modelId, weak: weak.id, strong: strong.id };
}

/**
 * Writes a deployment row and waits until the serving process routes it (as pg_notify announces a
 * change). A fixed `id` makes sticky A/B assignment (a hash of deployment id and key) reproducible.
 */
export async function deployRow(w: ServingWorld, name: string, data: { stableVersionId: string; candidateVersionId?: string; candidatePercent?: number; strategy?: string; modelId?: string; id?: string }) {
  const d = await db().deployment.create({ data: { projectId: w.project.id, environmentId: w.environmentId, name, modelId: w.modelId, createdById: w.owner.userId, ...data } });
  await pool().query("SELECT pg_notify($1, $2)", [DEPLOYMENTS_CHANNEL, d.id]);
  await until(async () => w.serving.routes.byName(name).some((r) => r.deploymentId === d.id));
  return d;
}

/** POST /v2/models/{name}/infer with {"instances": rows}; the raw response text and headers. */
export async function infer(w: ServingWorld, name: string, rows: RawRow[], headers: Record<string, string> = {}) {
  const res = await fetch(`${w.serving.url}/v2/models/${name}/infer`, {
    method: "POST",
    body: JSON.stringify({ instances: rows }),
    headers: { "content-type": "application/json", authorization: `Bearer ${w.secret}`, ...headers },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`infer ${name}: ${res.status} ${text}`);
  return { text, version: res.headers.get("x-cairn-model-version"), requestId: res.headers.get("x-request-id")! };
}

/** Waits until the deployment's log holds `count` entries (the logger flushes in the background). */
export async function logged(deploymentId: string, count: number): Promise<void> {
  await until(async () => (await db().predictionLog.count({ where: { deploymentId } })) >= count, 20_000);
}
