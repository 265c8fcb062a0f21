/**
 * Seeds the demo: organisation "Acme Logistics", project "eta-prediction", its owner account, a
 * second member, data, a training run and the registered model `eta-gbdt` (the worker carries on
 * from there: server/demo/plan.ts). Idempotent: an existing demo owner is left as it is, and a project
 * with datasets gets nothing more. `npm run db:seed` runs it alone.
 */
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

export const DEMO = {
  email: "demo@cairn.local",
  name: "Demo Owner",
  orgName: "Acme Logistics",
  orgSlug: "acme-logistics",
  projectName: "ETA prediction",
  projectSlug: "eta-prediction",
  projectDescription: "Predicts delivery time in minutes from distance, traffic, weather and driver experience.",
  /** A MEMBER who trains the demo's challenger model, so the owner can review it (nobody approves their own model). */
  scientistEmail: "dana@cairn.local",
  scientistName: "Dana Data Scientist",
};

/** Needs DATABASE_URL in the environment before it is called (server modules read it on first use). */
export async function seedDemo(password: string): Promise<{ created: boolean }> {
  const { db } = await import("../server/db");
  const { createAccount } = await import("../server/auth/sign-up");
  const { createProject } = await import("../server/tenancy/projects");
  if (await db().user.findUnique({ where: { email: DEMO.email } })) {
    await seedDemoData(password);
    return { created: false };
  }
  const { userId } = await createAccount({ email: DEMO.email, name: DEMO.name, password, orgName: DEMO.orgName });
  const membership = await db().membership.findFirstOrThrow({ where: { userId }, include: { org: true } });
  // The demo owner runs the installation: an installation admin, whose organisation's commands run on the shared workers.
  await db().user.update({ where: { id: userId }, data: { isInstallationAdmin: true } });
  await db().organization.update({ where: { id: membership.orgId }, data: { sharedCommandsAllowed: true } });
  if (membership.org.slug !== DEMO.orgSlug) {
    await db().organization.update({ where: { id: membership.orgId }, data: { slug: DEMO.orgSlug } }).catch(() => undefined);
  }
  await createProject({
    orgId: membership.orgId,
    name: DEMO.projectName,
    slug: DEMO.projectSlug,
    description: DEMO.projectDescription,
    actor: { type: "user", id: userId, label: DEMO.email },
  });
  await seedDemoData(password);
  return { created: true };
}

/** Debian's python3 when it has scikit-learn and onnx (python3-sklearn, python3-onnx), else whatever `python3` is. */
function pythonWithSklearn(): string {
  const probe = spawnSync("/usr/bin/python3", ["-c", "import sklearn, onnx"], { stdio: "ignore", timeout: 20_000 });
  return probe.status === 0 ? "/usr/bin/python3" : "python3";
}

/**
 * The demo project's data and models: a deterministic synthetic delivery-time dataset (profiled and
 * validated here, so training can start at once), a proposed contract, the example training command,
 * a second member (a data scientist, with the demo password), a GBDT baseline run that the worker
 * trains and evaluates after start-up, and the registered model `eta-gbdt` with its gate policy and
 * the plan (server/demo/plan.ts) by which the worker makes the baseline champion and then trains a
 * challenger. Runs once: a project that already has datasets is left alone.
 */
export async function seedDemoData(password: string): Promise<void> {
  const { db } = await import("../server/db");
  const project = await db().project.findFirst({ where: { slug: DEMO.projectSlug, org: { slug: DEMO.orgSlug } }, include: { org: true } });
  const owner = await db().user.findUnique({ where: { email: DEMO.email } });
  if (!project || !owner || (await db().dataset.count({ where: { projectId: project.id } })) > 0) return;
  const { ingestVersion } = await import("../server/datasets/ingest");
  const { profileVersion } = await import("../server/datasets/profile-job");
  const { validateVersion } = await import("../server/datasets/validate-job");
  const { createDataset } = await import("../server/datasets/datasets");
  const { proposeContract, saveContract } = await import("../server/datasets/contracts");
  const { saveCommand } = await import("../server/training/commands");
  const { startTraining } = await import("../server/training/start");
  const { deliveriesCsv } = await import("../server/ml/synthetic/deliveries");
  const { inviteMember } = await import("../server/tenancy/invitations");
  const { createAccount } = await import("../server/auth/sign-up");
  const { ensureExperiment } = await import("../server/runs/numbers");
  const { recordDemoPlan, seedDemoModel } = await import("../server/demo/plan");
  const actor = { type: "user" as const, id: owner.id, label: owner.email };
  const base = { projectId: project.id, orgId: project.orgId, actor };
  const dataset = await createDataset({
    ...base,
    name: "Deliveries",
    slug: "deliveries",
    description: "Synthetic delivery times: distance, traffic, weather, hour, weekday, vehicle, region and driver experience → minutes.",
    splitConfig: { ratios: { train: 0.7, validation: 0.15, test: 0.15 }, keyColumn: "delivery_id", seed: 42 },
  });
  async function* bytes(text: string) {
    yield Buffer.from(text);
  }
  const { version } = await ingestVersion({ ...base, dataset: dataset.id, createDataset: false, body: bytes(deliveriesCsv(12_000)), fileName: "deliveries-2026-10.csv" });
  await profileVersion(version.id);
  const proposed = await proposeContract(project.id, version.id);
  await saveContract({ ...base, datasetId: dataset.id, expectations: proposed.filter((e) => e.kind !== "unique") });
  await validateVersion(version.id);
  await saveCommand({ ...base, name: "sklearn-sgd", command: `${pythonWithSklearn()} examples/sklearn-sgd/train.py --epochs 20`, workdir: ".", timeoutSeconds: 600, env: {} });
  // The data scientist joins the way people do: invited by the owner, signing up through the link.
  if (!(await db().user.findUnique({ where: { email: DEMO.scientistEmail } }))) {
    const { link } = await inviteMember({ orgId: project.orgId, actor, actorRole: "OWNER", email: DEMO.scientistEmail, role: "MEMBER" });
    await createAccount({ email: DEMO.scientistEmail, name: DEMO.scientistName, password, invitation: link.slice(link.lastIndexOf("/") + 1) });
  }
  const experiment = "ETA model";
  const training = { datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "gbdt" as const, resource: "cpu" as const, experiment, evaluate: true, sliceColumn: "region", sensitiveColumn: "vehicle_type" };
  const modelId = await seedDemoModel({ ...base, experimentId: await ensureExperiment(project.id, experiment) });
  const baseline = await startTraining({
    ...base,
    ...training,
    // A quick first model; the challenger below has the rounds and depth the data needs.
    params: { rounds: 40, maxDepth: 3, learningRate: 0.1 },
    name: "gbdt-baseline",
  });
  if (modelId) {
    const challenger = { ...training, params: { rounds: 400, maxDepth: 6, learningRate: 0.05, earlyStoppingRounds: 30 }, name: "gbdt-tuned" };
    await recordDemoPlan({ ...base, modelId, plan: { baselineRunId: baseline.id, scientistEmail: DEMO.scientistEmail, challenger } });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { withDatabase } = await import("./lib/database");
  const { loadLocalSecrets } = await import("./lib/secrets");
  const { applyMigrations } = await import("./db/engine");
  const password = process.env.CAIRN_DEMO_PASSWORD ?? (await loadLocalSecrets()).demoPassword;
  await withDatabase(async (url) => {
    process.env.DATABASE_URL = url;
    await applyMigrations(url);
    const { created } = await seedDemo(password);
    console.log(created ? `Seeded the demo. Sign in as ${DEMO.email} / ${password}` : "The demo is already seeded.");
    const { closeDb } = await import("../server/db");
    const { stopBoss } = await import("../server/jobs/boss");
    await stopBoss({ graceful: false, timeoutMs: 2000 });
    await closeDb();
  });
}
