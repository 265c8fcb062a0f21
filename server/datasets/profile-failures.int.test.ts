import type { Job } from "pg-boss";
import { describe, expect, it } from "vitest";
import { datasetProfileHandler } from "../../workers/handlers/datasets";
import { db } from "../db";
import { datasetProfile } from "../jobs/definitions";
import { artifactStore } from "../storage/artifact-store";
import { writeParquet } from "../testing/parquet";
import { createTestProject, createUser } from "../testing/factories";
import { ingestVersion } from "./ingest";
import { profileVersion } from "./profile-job";

async function* once(bytes: Buffer) {
  yield bytes;
}

async function setup() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const upload = async (bytes: Buffer, fileName: string) => {
    const { version } = await ingestVersion({
      projectId: project.id,
      orgId: owner.orgId,
      dataset: "odd",
      createDataset: true,
      actor: { type: "user", id: owner.userId, label: owner.email },
      body: once(bytes),
      fileName,
    });
    return version;
  };
  return { upload };
}

const state = (id: string) => db().datasetVersion.findUniqueOrThrow({ where: { id }, select: { profileStatus: true, profileError: true, validation: true } });

/** A pg-boss job as the worker hands it over, on the given attempt. */
function jobFor(versionId: string, retryCount: number): Job<unknown> {
  return { id: `job-${versionId}-${retryCount}`, name: datasetProfile.name, data: { versionId }, expireInSeconds: 60, heartbeatSeconds: null, retryCount, signal: new AbortController().signal };
}

describe("versions that can never be profiled end FAILED with a reason", () => {
  it("NUL characters in values: FAILED at once, not retried forever", async () => {
    const { upload } = await setup();
    const v = await upload(Buffer.from("id,note\n1,a\u0000b\n2,ok\n"), "nul.csv");
    expect(v.profileStatus).toBe("PENDING");
    await profileVersion(v.id);
    const s = await state(v.id);
    expect(s).toMatchObject({ profileStatus: "FAILED", validation: "FAILED" });
    expect(s.profileError).toMatch(/NUL/);
  });

  it("a JSON Lines value nested 100,000 deep: FAILED at once", async () => {
    const { upload } = await setup();
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const v = await upload(Buffer.from(`{"id":1,"x":${deep}}\n{"id":2,"x":1}\n`), "deep.jsonl");
    await profileVersion(v.id);
    const s = await state(v.id);
    expect(s.profileStatus).toBe("FAILED");
    expect(s.profileError).toMatch(/nested too deeply/);
  });

  it("a Parquet file with a corrupt data page: FAILED at once, naming the file as unreadable", async () => {
    const { upload } = await setup();
    const { bytes, pageOffsets } = writeParquet([{ name: "a", values: [1, 2, 3] }, { name: "b", values: [4, 5, 6] }]);
    bytes.fill(0xff, pageOffsets[1]!, pageOffsets[1]! + 6);
    // The footer is intact, so the upload itself is accepted; the pages are read when profiling.
    const v = await upload(bytes, "broken.parquet");
    expect(v).toMatchObject({ format: "PARQUET", columns: ["a", "b"], rowCount: 3 });
    await profileVersion(v.id);
    const s = await state(v.id);
    expect(s.profileStatus).toBe("FAILED");
    expect(s.profileError).toMatch(/Parquet file could not be read/);
  });

  it("a sound Parquet file profiles READY", async () => {
    const { upload } = await setup();
    const v = await upload(writeParquet([{ name: "a", values: [1, 2, 3] }, { name: "b", values: [4, 5, 6] }]).bytes, "ok.parquet");
    await profileVersion(v.id);
    expect(await state(v.id)).toMatchObject({ profileStatus: "READY", profileError: null });
  });

  it("a transient failure is retried, and marked FAILED with its reason on the last attempt", async () => {
    const { upload } = await setup();
    const v = await upload(Buffer.from("id,n\n1,2\n"), "gone.csv");
    // The stored bytes vanish (say, a store outage): reading fails with a system error.
    await artifactStore().delete(v.sha256);
    await expect(datasetProfileHandler(jobFor(v.id, 0), {} as never)).rejects.toThrow();
    expect(await state(v.id)).toMatchObject({ profileStatus: "PENDING" });
    await datasetProfileHandler(jobFor(v.id, datasetProfile.options.retryLimit!), {} as never);
    const s = await state(v.id);
    expect(s.profileStatus).toBe("FAILED");
    expect(s.profileError).toMatch(/after \d+ attempts.*ENOENT/);
  });
});
