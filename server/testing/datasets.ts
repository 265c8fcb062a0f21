/** Test data builders for datasets: a version uploaded, profiled and validated as the worker would. */
import { ingestVersion } from "../datasets/ingest";
import { profileVersion } from "../datasets/profile-job";
import { validateVersion } from "../datasets/validate-job";
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
