/**
 * Fair sharing of the shared train queue between organisations, checked against real pg-boss: each
 * run is queued behind its own organisation's waiting runs (priority), and one organisation has at
 * most CAIRN_ORG_TRAIN_CONCURRENCY runs active at once (pg-boss group concurrency, as workers/main.ts
 * asks for it).
 */
import { describe, expect, it } from "vitest";
import { callerAs, createTestProject, createUser } from "../testing/factories";
import { ingestVersion } from "../datasets/ingest";
import { profileVersion } from "../datasets/profile-job";
import { validateVersion } from "../datasets/validate-job";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { getBoss } from "../jobs/boss";
import { orgTrainConcurrency, train } from "../jobs/definitions";

async function* chunk(text: string) {
  yield Buffer.from(text);
}

async function org(name: string) {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const caller = callerAs(owner);
  const { version } = await ingestVersion({
    projectId: project.id, orgId: owner.orgId, dataset: "deliveries", createDataset: true,
    actor: { type: "user", id: owner.userId, label: owner.email }, body: chunk(deliveriesCsv(100)), fileName: "deliveries.csv",
  });
  await profileVersion(version.id);
  await validateVersion(version.id);
  const runs = new Set<string>();
  return {
    name,
    runs,
    async enqueue(n: number) {
      for (let i = 0; i < n; i++) {
        const run = await caller.training.start({ projectId: project.id, datasetVersionId: version.id, target: "minutes", trainer: "ridge", evaluate: false });
        runs.add(run.id);
      }
    },
  };
}

/** What a worker of the shared queue takes next, as workers/main.ts fetches (one job, the per-organisation cap). */
async function takeNext(orgs: Awaited<ReturnType<typeof org>>[], complete: boolean): Promise<string | null> {
  const boss = await getBoss();
  const [job] = await boss.fetch<{ runId: string }>(train.name, { batchSize: 1, groupConcurrency: orgTrainConcurrency() });
  if (!job) return null;
  if (complete) await boss.complete(train.name, job.id);
  return orgs.find((o) => o.runs.has(job.data.runId))?.name ?? "unknown";
}

describe("fair scheduling of the shared train queue", () => {
  it("starts another organisation's run before one organisation's backlog drains", async () => {
    const a = await org("A");
    const b = await org("B");
    await a.enqueue(6);
    await b.enqueue(1);
    const order: (string | null)[] = [];
    for (let i = 0; i < 7; i++) order.push(await takeNext([a, b], true));
    // First come, first served would give A×6 then B.
    expect(order).toEqual(["A", "B", "A", "A", "A", "A", "A"]);
  });

  it("runs at most two (the default cap) of one organisation's runs at once, while another organisation's run still starts", async () => {
    expect(orgTrainConcurrency()).toBe(2);
    const c = await org("C");
    const d = await org("D");
    await c.enqueue(4);
    expect([await takeNext([c, d], false), await takeNext([c, d], false)]).toEqual(["C", "C"]);
    // Two of C's runs are active: C's two others wait although nothing else is queued.
    expect(await takeNext([c, d], false)).toBeNull();
    await d.enqueue(1);
    expect(await takeNext([c, d], false)).toBe("D");
  });
});
