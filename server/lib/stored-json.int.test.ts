import { describe, expect, it } from "vitest";
import { db } from "../db";
import { projectWithVersion } from "../testing/datasets";
import { validateVersion } from "../datasets/validate-job";


const setup = () => projectWithVersion(["id,x,region", ...Array.from({ length: 60 }, (_, i) => `${i},${i * 1.5},${["n", "s"][i % 2]}`)].join("\n"), "dd");

describe("stored JSON read through its schema", () => {
  it("refuses a corrupted profile with what and where, instead of passing on a wrong shape", async () => {
    const { project, caller, version } = await setup();
    const ok = await caller.dataset.version({ projectId: project.id, versionId: version.id });
    expect(ok.profile!.columns.map((c) => c.type)).toEqual(["integer", "numeric", "categorical"]);
    await db().$executeRaw`UPDATE "DatasetVersion" SET profile = jsonb_set(profile, '{columns,1,histogram}', '"oops"') WHERE id = ${version.id}`;
    const expected = new RegExp(`stored profile of dataset version ${version.id} does not have the expected shape: columns\\.1\\.histogram`);
    await expect(caller.dataset.version({ projectId: project.id, versionId: version.id })).rejects.toThrow(expected);
    await expect(caller.dataset.compare({ projectId: project.id, baseVersionId: version.id, targetVersionId: version.id })).rejects.toThrow(expected);
    await expect(caller.dataset.proposeContract({ projectId: project.id, versionId: version.id })).rejects.toThrow(expected);
  });

  it("refuses corrupted validation results instead of showing an empty report", async () => {
    const { project, caller, version } = await setup();
    const ds = await caller.dataset.get({ projectId: project.id, slug: "dd" });
    await caller.dataset.saveContract({ projectId: project.id, datasetId: ds.id, expectations: [{ kind: "row_count", min: 10 }] });
    await validateVersion(version.id);
    expect((await caller.dataset.version({ projectId: project.id, versionId: version.id })).report!.results).toHaveLength(1);
    await db().validationReport.updateMany({ where: { versionId: version.id }, data: { results: [{ kind: "row_count", passed: "yes" }] } });
    await expect(caller.dataset.version({ projectId: project.id, versionId: version.id })).rejects.toThrow(/stored validation results of report \S+ does not have the expected shape: 0\.column/);
  });

  it("refuses a corrupted evaluation report and corrupted run tags", async () => {
    const { project, caller, version } = await setup();
    const run = await caller.run.create({ projectId: project.id, experiment: "e", tags: { team: "eta" } });
    const report = await db().evaluationReport.create({
      data: { projectId: project.id, runId: run.id, versionId: version.id, split: "test", status: "DONE", report: { task: "regression", metrics: { rmse: { value: "low" } } } },
    });
    await expect(caller.training.evaluation({ projectId: project.id, reportId: report.id })).rejects.toThrow(
      new RegExp(`stored evaluation report ${report.id} does not have the expected shape: .*metrics\\.rmse`),
    );
    await db().run.update({ where: { id: run.id }, data: { tags: { team: 42 } } });
    await expect(caller.run.get({ projectId: project.id, runId: run.id })).rejects.toThrow(new RegExp(`stored tags of run ${run.id} does not have the expected shape: team: `));
    await expect(caller.run.setTags({ projectId: project.id, runId: run.id, tags: { x: "1" } })).rejects.toThrow(/stored tags of run/);
  });
});
