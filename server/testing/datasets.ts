/** Test data builders for datasets: a version uploaded, profiled and validated as the worker would. */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { ingestVersion, type IngestArgs } from "../datasets/ingest";
import { profileVersion } from "../datasets/profile-job";
import { validateVersion } from "../datasets/validate-job";
import { artifactStore } from "../storage/artifact-store";
import { LocalArtifactStore } from "../storage/local-store";
import { callerAs, createTestProject, createUser, type TestUser } from "./factories";

/** A request body of one chunk. */
export async function* once(text: string | Buffer) {
  yield Buffer.isBuffer(text) ? text : Buffer.from(text);
}

/** Uploads `csv` as a new version of `dataset` (created when missing), then profiles and validates it. */
export async function uploadReadyVersion(owner: TestUser, projectId: string, csv: string, dataset = "deliveries") {
  const { version } = await ingestVersion({
    projectId,
    orgId: owner.orgId,
    dataset,
    createDataset: true,
    actor: { type: "user", id: owner.userId, label: owner.email },
    body: once(csv),
    fileName: `${dataset}.csv`,
  });
  await profileVersion(version.id);
  await validateVersion(version.id);
  return version;
}

/** A new owner and project with one ready version of `csv`. */
export async function projectWithVersion(csv: string, dataset = "deliveries") {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const version = await uploadReadyVersion(owner, project.id, csv, dataset);
  return { owner, project, caller: callerAs(owner), version };
}

/** A request body in small chunks, so that readers see values split across chunk boundaries. */
export async function* chunks(data: string | Uint8Array, size = 7) {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** A new owner and project, and upload arguments for them: dataset "trips", the data in `chunkSize`-byte chunks, any field overridden. */
export async function ingestSetup(chunkSize = 7) {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const base = (over: Partial<IngestArgs> & { data: string | Uint8Array }): IngestArgs => ({
    projectId: project.id,
    orgId: owner.orgId,
    dataset: "trips",
    createDataset: true,
    actor: { type: "user", id: owner.userId, label: owner.email },
    body: chunks(over.data, chunkSize),
    fileName: "trips.csv",
    ...over,
  });
  return { owner, project, base };
}

/** Every file under the local artifact store's folder, relative to it (tests run on the local store). */
export async function storedFiles(): Promise<string[]> {
  const store = artifactStore();
  if (!(store instanceof LocalArtifactStore)) throw new Error("These tests look into the local store's folder");
  const root = store.dir;
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(path.join(dir, e.name));
      else out.push(path.relative(root, path.join(dir, e.name)));
    }
  };
  await walk(root);
  return out;
}
