import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { getArtifact, putArtifact } from "../runs/artifacts";
import { createRun } from "../runs/runs";
import { artifactStore } from "../storage/artifact-store";
import { S3ArtifactStore } from "../storage/s3-store";
import { s3Env, startS3rver } from "../testing/s3rver";
import { ingestVersion } from "./ingest";
import { readStoredTable } from "./read";
import { ingestSetup, chunks } from "../testing/datasets";

// The whole file runs as a host configured for S3 would: through CAIRN_ARTIFACT_STORE and AWS_* variables.
const s3 = await startS3rver();
Object.assign(process.env, s3Env(s3, "cairn/"));
afterAll(() => s3.stop());

const setup = () => ingestSetup();

const CSV = "id,distance_km,region\n1,3.5,north\n2,10.25,south\n3,,east\n";

describe("dataset uploads on an S3 artifact store", () => {
  it("uses the S3 store the environment names", () => {
    expect(artifactStore()).toBeInstanceOf(S3ArtifactStore);
  });

  it("stores a version at its content address, reads it back and deduplicates", async () => {
    const { base } = await setup();
    const first = await ingestVersion(base({ data: CSV }));
    expect(first.version).toMatchObject({ rowCount: 3, columns: ["id", "distance_km", "region"] });
    expect(await s3.keys("cairn/")).toContain(`cairn/sha256/${first.version.sha256}`);
    const rows: unknown[][] = [];
    await readStoredTable({ ...first.version, delimiter: ",", encoding: "utf-8" }, async (batch) => void rows.push(...batch));
    expect(rows).toEqual([["1", "3.5", "north"], ["2", "10.25", "south"], ["3", "", "east"]]);
    const again = await ingestVersion(base({ data: CSV, dataset: "other-dataset" }));
    expect(again.version.sha256).toBe(first.version.sha256);
    expect((await s3.keys("cairn/")).filter((k) => k.endsWith(first.version.sha256))).toHaveLength(1);
    expect((await s3.keys("cairn/tmp/"))).toEqual([]);
  });

  it("checks a Parquet upload through ranged reads of the temporary object and keeps nothing when it is not one", async () => {
    const { base, project } = await setup();
    const before = await s3.keys("cairn/");
    await expect(ingestVersion(base({ data: "a,b\n1,2\n", fileName: "data.parquet", dataset: "pq" }))).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/not a Parquet file/) });
    expect(await db().datasetVersion.count({ where: { projectId: project.id } })).toBe(0);
    expect(await s3.keys("cairn/")).toEqual(before);
  });

  it("keeps nothing when the client aborts mid-stream", async () => {
    const { base, project } = await setup();
    const before = await s3.keys("cairn/");
    async function* aborted() {
      yield Buffer.from("a,b\n1,2\n3,4\n");
      throw new Error("aborted");
    }
    await expect(ingestVersion(base({ data: "", body: aborted() }))).rejects.toThrow("aborted");
    expect(await db().datasetVersion.count({ where: { projectId: project.id } })).toBe(0);
    expect(await s3.keys("cairn/")).toEqual(before);
    expect(await s3.openUploads()).toEqual([]);
  });

  it("stores and serves run artifacts", async () => {
    const { owner, project } = await setup();
    const run = await createRun({ projectId: project.id, orgId: owner.orgId, actor: { type: "user", id: owner.userId, label: owner.email }, experiment: "s3", status: "RUNNING" });
    const stored = await putArtifact({ projectId: project.id, runId: run.id, path: "plots/loss.json", body: chunks('{"loss":[0.5,0.25]}') });
    expect(await s3.keys("cairn/")).toContain(`cairn/sha256/${stored.sha256}`);
    const { stream } = await getArtifact(project.id, run.id, "plots/loss.json");
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    expect(Buffer.concat(parts).toString()).toBe('{"loss":[0.5,0.25]}');
  });
});
