/**
 * Run numbers under concurrency: 50 parallel `run.create` and 50 parallel `training.start` in one
 * experiment (and both mixed) all succeed with distinct, gapless numbers. Before one allocator
 * locked the experiment, about half of them failed with 500 on the (experimentId, number) key.
 */
import { describe, expect, it } from "vitest";
import { ingestVersion } from "../datasets/ingest";
import { profileVersion } from "../datasets/profile-job";
import { validateVersion } from "../datasets/validate-job";
import { deliveriesCsv } from "../ml/synthetic/deliveries";
import { callerAs, createTestProject, createUser } from "../testing/factories";

async function* once(text: string) {
  yield Buffer.from(text);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("run numbers under concurrency", () => {
  it("50 parallel run.create in one experiment all succeed, numbered 1..50", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const results = await Promise.allSettled(range(50).map(() => caller.run.create({ projectId: project.id, experiment: "burst" })));
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
    const numbers = results.map((r) => (r as PromiseFulfilledResult<{ number: number }>).value.number).sort((a, b) => a - b);
    expect(numbers).toEqual(range(50));
  });

  it("50 parallel training.start (and 10 run.create mixed in) in one experiment all succeed", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const { version } = await ingestVersion({
      projectId: project.id, orgId: owner.orgId, dataset: "deliveries", createDataset: true,
      actor: { type: "user", id: owner.userId, label: owner.email }, body: once(deliveriesCsv(300)), fileName: "deliveries.csv",
    });
    await profileVersion(version.id);
    await validateVersion(version.id);
    const start = () =>
      caller.training.start({ projectId: project.id, experiment: "burst", datasetVersionId: version.id, target: "minutes", exclude: ["delivery_id"], trainer: "ridge", params: {} });
    const results = await Promise.allSettled([
      ...range(50).map(start),
      ...range(10).map(() => caller.run.create({ projectId: project.id, experiment: "burst" })),
    ]);
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
    const numbers = results.map((r) => (r as PromiseFulfilledResult<{ number: number }>).value.number).sort((a, b) => a - b);
    expect(numbers).toEqual(range(60));
  });
});
