import type { APIRequestContext, Page } from "@playwright/test";
import { linearToOnnx } from "../../server/ml/onnx/linear";
import { expect, trpc, type Account } from "../fixtures";
import { orgIdOf, uniqueId } from "../foundation/helpers";

export const MODEL = "eta-linear";

/** The encoding spec the external files carry (ONNX metadata `cairn.encoding`), so serving and the curl example know the features. */
const ENCODING = {
  version: 1,
  missingTokens: [""],
  features: [
    { name: "distance_km", kind: "numeric" },
    { name: "region", kind: "categorical", categories: ["north", "south"] },
  ],
  target: { name: "minutes", task: "regression" },
};

/** A real two-feature linear ONNX model; each `intercept` gives different bytes, hence a new version. */
export function linearModel(intercept: number): Buffer {
  return Buffer.from(
    linearToOnnx({
      task: "regression",
      trainer: "external",
      features: [
        { name: "distance_km", kind: "numeric" },
        { name: "region", kind: "categorical" },
      ],
      params: {},
      intercept,
      numeric: [{ mean: 0, weight: 2 }],
      categorical: [{ categories: ["north", "south"], weights: [1, -1] }],
      metadata: { "cairn.encoding": JSON.stringify(ENCODING) },
    }),
  );
}

export interface DeployProject {
  id: string;
  slug: string;
  orgId: string;
  base: string;
  modelId: string;
  versions: { id: string; number: number }[];
}

/** Registers an external ONNX file through the REST API, as CI would. */
async function register(request: APIRequestContext, account: Account, projectSlug: string, intercept: number) {
  const res = await request.post(`/api/v1/projects/${projectSlug}/models/${MODEL}/versions?org=${account.orgSlug}&task=regression&fileName=eta-${intercept}.onnx`, {
    data: linearModel(intercept),
    headers: { "content-type": "application/octet-stream" },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; number: number; modelId: string };
}

/** A fresh project with the model `eta-linear` and `count` versions (v1…vN), none gated. */
export async function projectWithVersions(page: Page, account: Account, count = 3): Promise<DeployProject> {
  const request = page.context().request;
  const orgId = await orgIdOf(page, account.orgSlug);
  const project = await trpc<{ id: string; slug: string }>(request, "mutation", "project.create", { orgId, name: "Serving", slug: uniqueId("serve") });
  const versions: { id: string; number: number; modelId: string }[] = [];
  for (let i = 1; i <= count; i++) versions.push(await register(request, account, project.slug, 10 * i));
  return { id: project.id, slug: project.slug, orgId, base: `/${account.orgSlug}/${project.slug}`, modelId: versions[0]!.modelId, versions };
}

/** A screenshot under the name the Deployments work is reviewed by, from the top of the page. */
export async function deployShot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/deployments-${name}.png`, fullPage: true });
}
