import { describe, expect, it } from "vitest";
import { ingestVersion } from "../datasets/ingest";
import { callerAs, createTestProject, createUser } from "../testing/factories";

async function* bytes(text: string) {
  yield Buffer.from(text);
}

describe("compare: what each run learned from", () => {
  it("lists each run's input versions and target, and warns when data or targets differ", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const caller = callerAs(owner);
    const actor = { type: "user" as const, id: owner.userId, label: owner.email };
    const upload = async (text: string) =>
      (await ingestVersion({ projectId: project.id, orgId: owner.orgId, dataset: "trips", createDataset: true, actor, body: bytes(text), fileName: "trips.csv" })).version;
    const v1 = await upload("x,y,z\n1,2,3\n");
    const v2 = await upload("x,y,z\n4,5,6\n");
    const run = (name: string, inputs: string[], target: string) => caller.run.create({ projectId: project.id, experiment: "e", name, inputs, params: { target } });
    const a = await run("a", [v1.id], "y");
    const b = await run("b", [v1.id], "y");
    const c = await run("c", [v2.id], "z");

    const same = await caller.run.compare({ projectId: project.id, runIds: [a.id, b.id] });
    expect(same.warnings).toEqual([]);
    expect(same.data.map((d) => [d.inputs.map((i) => `${i.datasetSlug} v${i.number}`), d.target])).toEqual([[["trips v1"], "y"], [["trips v1"], "y"]]);

    const mixed = await caller.run.compare({ projectId: project.id, runIds: [a.id, b.id, c.id] });
    expect(mixed.warnings).toHaveLength(2);
    expect(mixed.warnings[0]).toContain("trips v1 (a, b); trips v2 (c)");
    expect(mixed.warnings[1]).toContain("different targets (y, z)");
  });
});
