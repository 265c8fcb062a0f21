/**
 * Maximum upload size and per-org storage quota, through the real PUT route handler with a real
 * API token. The limits are installation settings read once, so this file sets them before any
 * server module reads the environment.
 */
import { describe, expect, it } from "vitest";

const MAX_UPLOAD = 200_000;
const QUOTA = 500_000;
process.env.CAIRN_MAX_UPLOAD_BYTES = String(MAX_UPLOAD);
process.env.CAIRN_ORG_STORAGE_QUOTA_BYTES = String(QUOTA);

const { db } = await import("../db");
const { PUT } = await import("@/app/api/v1/projects/[project]/datasets/[dataset]/versions/route");
const { PUT: putArtifactRoute } = await import("@/app/api/v1/projects/[project]/runs/[run]/artifacts/[...path]/route");
const { orgStorageBytes } = await import("../storage/quota");
const { callerAs, createTestProject, createUser, mintToken } = await import("../testing/factories");
const { storedFiles } = await import("../testing/datasets");

/** A CSV body of about `bytes` bytes, streamed in 16 KiB chunks; `pulled` counts what was read. */
function csvBody(bytes: number, seed = 0) {
  const counter = { pulled: 0 };
  let sent = 0;
  let row = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const lines: string[] = sent === 0 ? ["id,value,seed"] : [];
      let len = 0;
      while (len < 16 * 1024) {
        const line = `${row},${(row * 7) % 1000},${seed}`;
        row++;
        lines.push(line);
        len += line.length + 1;
      }
      const chunk = Buffer.from(lines.join("\n") + "\n");
      sent += chunk.byteLength;
      counter.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

async function setup() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const { secret } = await mintToken(owner, { role: "MEMBER" });
  const upload = (dataset: string, body: ReadableStream<Uint8Array>, query = "fileName=d.csv", declared?: number) =>
    PUT(
      new Request(`http://cairn.test/api/v1/projects/${project.id}/datasets/${encodeURIComponent(dataset)}/versions?${query}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${secret}`, ...(declared ? { "content-length": String(declared) } : {}) },
        body,
        duplex: "half",
      } as RequestInit),
      { params: Promise.resolve({ project: project.id, dataset }) },
    );
  return { owner, project, secret, upload };
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe("upload limits", () => {
  it("cuts an upload over the maximum size off while streaming: 413 JSON, nothing stored, no dataset", async () => {
    const { project, upload } = await setup();
    const before = await storedFiles();
    const { stream, counter } = csvBody(5 * MAX_UPLOAD);
    const res = await upload("big", stream);
    expect(res.status).toBe(413);
    const error = await errorOf(res);
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toMatch(/maximum upload size/);
    // Refused at the first chunk past the limit, not after the whole body.
    expect(counter.pulled).toBeLessThan(MAX_UPLOAD + 64 * 1024);
    expect(await db().dataset.count({ where: { projectId: project.id } })).toBe(0);
    expect(await storedFiles()).toEqual(before);
  });

  it("refuses a body whose declared length is over the limit before reading it", async () => {
    const { upload } = await setup();
    const { stream, counter } = csvBody(5 * MAX_UPLOAD);
    const res = await upload("declared", stream, "fileName=d.csv", 5 * MAX_UPLOAD);
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(64 * 1024);
  });

  it("accepts an upload under the limit", async () => {
    const { upload } = await setup();
    const res = await upload("small", csvBody(MAX_UPLOAD / 2).stream);
    expect(res.status).toBe(201);
  });

  it("refuses the upload that would pass the org's quota (run artifacts count too), and only in that org", async () => {
    const { owner, project, secret, upload } = await setup();
    // 2 × ~150 KB of dataset versions and one ~150 KB run artifact: ~450 KB of the 500 KB quota.
    for (const seed of [1, 2]) {
      const res = await upload("quota", csvBody(150_000, seed).stream);
      expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
    }
    const run = await callerAs(owner).run.create({ projectId: project.id, experiment: "quota", name: "r" });
    const artifact = await putArtifactRoute(
      new Request(`http://cairn.test/api/v1/projects/${project.id}/runs/${run.id}/artifacts/model.bin`, {
        method: "PUT",
        headers: { authorization: `Bearer ${secret}` },
        body: Buffer.alloc(150_000, 7),
      }),
      { params: Promise.resolve({ project: project.id, run: run.id, path: ["model.bin"] }) },
    );
    expect(artifact.status).toBeLessThan(300);
    const used = await orgStorageBytes(owner.orgId);
    expect(used).toBeGreaterThan(450_000);
    expect(used).toBeLessThan(QUOTA);

    const before = await storedFiles();
    const versionsBefore = await db().datasetVersion.count({ where: { projectId: project.id } });
    const { stream, counter } = csvBody(150_000, 3);
    const res = await upload("quota", stream);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toMatch(/storage quota/);
    expect(counter.pulled).toBeLessThan(QUOTA - used + 64 * 1024);
    expect(await db().datasetVersion.count({ where: { projectId: project.id } })).toBe(versionsBefore);
    expect(await storedFiles()).toEqual(before);

    // A run artifact over the quota is refused the same way.
    const overArtifact = await putArtifactRoute(
      new Request(`http://cairn.test/api/v1/projects/${project.id}/runs/${run.id}/artifacts/more.bin`, {
        method: "PUT",
        headers: { authorization: `Bearer ${secret}` },
        body: Buffer.alloc(100_000, 1),
      }),
      { params: Promise.resolve({ project: project.id, run: run.id, path: ["more.bin"] }) },
    );
    expect(overArtifact.status).toBe(413);

    // Another organisation's quota is its own.
    const other = await setup();
    expect((await other.upload("quota", csvBody(150_000, 4).stream)).status).toBe(201);
  });

  it("does not let parallel uploads that each fit together pass the quota", async () => {
    const { owner, upload } = await setup();
    const results = await Promise.all([1, 2, 3, 4, 5].map((seed) => upload(`p${seed}`, csvBody(150_000, seed).stream)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 413, 413]);
    expect(await orgStorageBytes(owner.orgId)).toBeLessThanOrEqual(QUOTA);
  });
});

describe("dataset slugs on the upload route", () => {
  for (const slug of ["a/b", "<script>alert(1)</script>", "x".repeat(300)]) {
    it(`answers 400 JSON for ${JSON.stringify(slug.slice(0, 24))} and creates nothing`, async () => {
      const { project, upload } = await setup();
      const res = await upload(slug, csvBody(1000).stream);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toMatch(/not a valid dataset slug/);
      expect(await db().dataset.count({ where: { projectId: project.id } })).toBe(0);
    });
  }
});
