import type { APIRequestContext } from "@playwright/test";
import { expect, test, trpc } from "../fixtures";
import { deployShot, projectWithVersions, type DeployProject } from "./helpers";

/** Sends `n` one-row requests to the deployment at the URL its page shows; returns each request id with its row. */
async function traffic(request: APIRequestContext, url: string, secret: string, n: number) {
  const sent: { requestId: string; row: { distance_km: number; region: string } }[] = [];
  for (let i = 0; i < n; i++) {
    const row = { distance_km: i % 10, region: i % 2 === 0 ? "north" : "south" };
    const res = await request.post(url, { data: { instances: [row] }, headers: { authorization: `Bearer ${secret}` } });
    expect(res.status(), await res.text()).toBe(200);
    sent.push({ requestId: res.headers()["x-request-id"]!, row });
  }
  return sent;
}

async function deploy(request: APIRequestContext, project: DeployProject, name: string, strategy: "shadow" | "ab", candidatePercent: number) {
  const d = await trpc<{ id: string }>(request, "mutation", "deployment.create", { projectId: project.id, environment: "staging", name, modelId: project.modelId, versionId: project.versions[0]!.id });
  await trpc(request, "mutation", "deployment.setCandidate", { projectId: project.id, deploymentId: d.id, versionId: project.versions[1]!.id, strategy, candidatePercent });
  return d;
}

test("shadow comparison and A/B results fill in from real traffic and feedback", async ({ page, account }) => {
  test.setTimeout(180_000);
  const request = page.context().request;
  const project = await projectWithVersions(page, account, 2);
  const token = await trpc<{ secret: string }>(request, "mutation", "token.create", { orgId: project.orgId, name: "serving", role: "MEMBER", projectId: project.id });
  await deploy(request, project, "eta-shadow", "shadow", 0);
  await deploy(request, project, "eta-ab", "ab", 50);

  // Shadow: v2 (intercept 20) scores every mirrored request; v1 (intercept 10) answers. They never agree, by 10 minutes.
  await page.goto(`${project.base}/deployments/eta-shadow`);
  const url = (await page.locator("[data-endpoint-url]").textContent())!;
  await traffic(request, url, token.secret, 30);
  await expect(page.locator('[data-shadow-stat="pairs"]')).toContainText("30", { timeout: 30_000 });
  await expect(page.locator('[data-shadow-stat="agreement"]')).toContainText("0.0%");
  await expect(page.locator('[data-shadow-stat="mean-signed"]')).toContainText("10");
  await expect(page.locator('[data-segment="north"]')).toContainText("15");
  await expect(page.locator('[data-segment="south"]')).toContainText("15");
  await deployShot(page, "shadow");

  // A/B: labels equal to v1's own formula (plus ±0.5), so the stable arm is better by about 10 minutes of absolute error.
  await page.goto(`${project.base}/deployments/eta-ab`);
  await expect(page.locator("[data-ab-verdict]")).toHaveAttribute("data-ab-verdict", "insufficient");
  const sent = await traffic(request, url.replace("eta-shadow", "eta-ab"), token.secret, 120);
  const items = sent.map(({ requestId, row }, i) => ({ requestId, labels: [10 + 2 * row.distance_km + (row.region === "north" ? 1 : -1) + (i % 2 === 0 ? 0.5 : -0.5)] }));
  const fb = await request.post(`/api/v1/projects/${project.slug}/deployments/eta-ab/feedback`, { data: { items }, headers: { authorization: `Bearer ${token.secret}` } });
  expect(fb.status(), await fb.text()).toBeLessThan(300);
  await expect(page.locator("[data-ab-verdict]")).toHaveAttribute("data-ab-verdict", "stable_better", { timeout: 30_000 });
  await expect(page.locator('[data-ab-arm="stable"]')).toContainText("0.5");
  await expect(page.locator("[data-ab-since]")).toContainText("requests since this candidate started");
  await expect(page.locator('[data-chart="interval"] [data-reference="zero"]')).toHaveCount(1);
  await deployShot(page, "ab");
  await page.locator('[data-chart="interval"]').screenshot({ path: "test-results/screenshots/deployments-ab-interval.png" });
});
