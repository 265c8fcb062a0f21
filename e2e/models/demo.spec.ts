/**
 * What `npm start`'s demo promises once the worker has caught up: the model eta-gbdt with the seeded
 * GBDT baseline as champion (a flagged owner override: nobody else could approve it yet), and a
 * challenger trained by a second member with a completed gate report that passed and awaits one
 * approval. Read through the REST API as the signed-in demo owner; the demo is left as it is.
 */
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { DEMO } from "../../scripts/seed";
import { expect, signInRequest, test, trpc } from "../fixtures";

const MODELS = `/api/v1/projects/${DEMO.projectSlug}/models`;
const ORG = `?org=${DEMO.orgSlug}`;

interface Version {
  id: string;
  number: number;
  runId: string | null;
  aliases: string[];
  createdBy: { label: string };
}

async function getJson<T>(api: APIRequestContext, path: string): Promise<T> {
  const res = await api.get(path);
  expect(res.status(), `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

test("the demo has a champion and a gated challenger awaiting approval", async () => {
  test.setTimeout(5 * 60_000);
  const api = await playwrightRequest.newContext({ baseURL: process.env.CAIRN_E2E_URL });
  await signInRequest(api, DEMO.email, process.env.CAIRN_E2E_DEMO_PASSWORD!);

  // The worker trains, registers and gates both runs after start; wait until the challenger's gate is done.
  await expect
    .poll(
      async () => {
        const res = await api.get(`${MODELS}/eta-gbdt/versions/2/gate${ORG}&wait=10`);
        return res.status() === 200 ? ((await res.json()) as { status: string }).status : `HTTP ${res.status()}`;
      },
      { timeout: 4 * 60_000, intervals: [1000] },
    )
    .toBe("DONE");

  const { models } = await getJson<{ models: { name: string; task: string; champion: { number: number } | null; aliases: { name: string; number: number }[]; autoRegister: { experiment: string } | null }[] }>(api, `${MODELS}${ORG}`);
  const model = models.find((m) => m.name === "eta-gbdt")!;
  expect(model).toMatchObject({ task: "regression", champion: { number: 1 }, autoRegister: { experiment: "ETA model" } });
  expect(Object.fromEntries(model.aliases.map((a) => [a.name, a.number]))).toEqual({ champion: 1, challenger: 2 });

  const { versions } = await getJson<{ versions: Version[] }>(api, `${MODELS}/eta-gbdt/versions${ORG}`);
  const v1 = versions.find((v) => v.number === 1)!;
  const v2 = versions.find((v) => v.number === 2)!;
  expect(v1.createdBy.label).toBe(DEMO.name);
  expect(v2.createdBy.label).toBe(DEMO.scientistName);
  const { id: projectId } = await trpc<{ id: string }>(api, "query", "project.get", { orgSlug: DEMO.orgSlug, projectSlug: DEMO.projectSlug });
  const run = (runId: string | null) => trpc<{ name: string; status: string }>(api, "query", "run.get", { projectId, runId });
  expect(await run(v1.runId)).toMatchObject({ name: "gbdt-baseline", status: "FINISHED" });
  expect(await run(v2.runId)).toMatchObject({ name: "gbdt-tuned", status: "FINISHED" });

  // The first champion came by the owner's override, flagged and with its reason.
  const history = await trpc<{ kind: string; to: { number: number | null } | null; reason: string | null; actor: { label: string } | null }[]>(api, "query", "model.history", {
    projectId,
    modelId: (await getJson<{ modelId: string }>(api, `${MODELS}/eta-gbdt/versions/1${ORG}`)).modelId,
    alias: "champion",
  });
  expect(history).toEqual([expect.objectContaining({ kind: "override", to: expect.objectContaining({ number: 1 }), reason: expect.stringMatching(/^Demo setup: first champion/), actor: expect.objectContaining({ label: DEMO.name }) })]);

  // The challenger was gated against the champion on the same rows and is significantly better on RMSE.
  const gate = await getJson<{ status: string; passed: boolean; championVersionId: string; report: { checks: { name: string; status: string }[] } }>(api, `${MODELS}/eta-gbdt/versions/2/gate${ORG}`);
  expect(gate).toMatchObject({ status: "DONE", passed: true, championVersionId: v1.id });
  expect(Object.fromEntries(gate.report.checks.map((c) => [c.name, c.status]))).toEqual({ thresholds: "pass", champion: "pass", data_validation: "pass", signature: "pass" });

  // Awaiting approval: none yet, one ADMIN approval needed, which the owner may give (Dana trained it).
  const promotion = await getJson<{ isChampion: boolean; canPromote: boolean; approvals: unknown[]; required: number; minRole: string; blockers: string[] }>(api, `${MODELS}/eta-gbdt/versions/2/promotion${ORG}`);
  expect(promotion).toMatchObject({ isChampion: false, canPromote: false, approvals: [], required: 1, minRole: "ADMIN" });
  expect(promotion.blockers).toEqual(["Needs 1 approval from ADMIN or higher; has 0"]);
  await api.dispose();
});
