import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3rver, type TestS3 } from "../testing/s3rver";
import { LocalArtifactStore } from "./local-store";
import { s3ConfigFromEnv } from "./s3-store";
import type { ArtifactStore } from "./types";

const MiB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function readAll(s: AsyncIterable<unknown>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of s) out.push(c as Buffer);
  return Buffer.concat(out);
}

async function put(store: ArtifactStore, bytes: Uint8Array, chunk = 256 * 1024) {
  const p = await store.beginWrite();
  for (let i = 0; i < bytes.length; i += chunk) await p.write(bytes.subarray(i, i + chunk));
  const r = await p.finish();
  await p.commit();
  return r;
}

let s3: TestS3;
let localRoot: string;
beforeAll(async () => {
  s3 = await startS3rver();
  localRoot = await mkdtemp(path.join(os.tmpdir(), "cairn-local-store-"));
});
afterAll(async () => {
  await s3?.stop();
  await rm(localRoot, { recursive: true, force: true });
});

/** Each backend: a fresh store and every name it holds (objects, temporaries, open uploads). */
const backends: { name: string; make(): { store: ArtifactStore; leftovers(): Promise<string[]> } }[] = [
  {
    name: "local",
    make() {
      const dir = path.join(localRoot, randomUUID());
      const walk = async (d: string): Promise<string[]> =>
        (await Promise.all((await readdir(d, { withFileTypes: true }).catch(() => [])).map((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.relative(dir, path.join(d, e.name))])))).flat();
      return { store: new LocalArtifactStore(dir), leftovers: () => walk(dir) };
    },
  },
  {
    name: "s3",
    make() {
      const prefix = `${randomUUID()}/`;
      // 5 MiB parts (S3's minimum) so a few MiB already take the multipart path.
      const store = s3.store(prefix, { partSize: 5 * MiB });
      return { store, leftovers: async () => [...(await s3.keys(prefix)), ...(await s3.openUploads())] };
    },
  },
];

describe.each(backends)("$name artifact store", ({ name, make }) => {
  it("round-trips bytes under their SHA-256, small and multipart", async () => {
    const { store, leftovers } = make();
    for (const bytes of [Buffer.from("id,x\n1,2\n"), randomBytes(12 * MiB + 123)]) {
      const r = await put(store, bytes);
      expect(r).toEqual({ sha256: sha(bytes), sizeBytes: bytes.length });
      expect(await store.stat(r.sha256)).toEqual({ sizeBytes: bytes.length });
      expect((await readAll(store.read(r.sha256))).equals(bytes)).toBe(true);
    }
    expect((await leftovers()).length).toBe(2);
    expect(await store.stat(sha(Buffer.from("absent")))).toBeNull();
  });

  it("keeps one copy of the same bytes and leaves no temporaries", async () => {
    const { store, leftovers } = make();
    const bytes = randomBytes(6 * MiB);
    const [a, b] = await Promise.all([put(store, bytes), put(store, bytes, 100_000)]);
    expect(a).toEqual(b);
    const names = await leftovers();
    expect(names).toHaveLength(1);
    expect(names[0]).toContain(a.sha256.slice(2));
    await store.delete(a.sha256);
    expect(await store.stat(a.sha256)).toBeNull();
    expect(await leftovers()).toEqual([]);
    await store.delete(a.sha256);
  });

  it("reads byte ranges, as streams and as random access", async () => {
    const { store } = make();
    const bytes = randomBytes(7 * MiB);
    const { sha256 } = await put(store, bytes);
    expect((await readAll(store.read(sha256, { start: 5 * MiB - 3, end: 5 * MiB + 9 }))).equals(bytes.subarray(5 * MiB - 3, 5 * MiB + 10))).toBe(true);
    expect((await readAll(store.read(sha256, { start: 7 * MiB - 4 }))).equals(bytes.subarray(7 * MiB - 4))).toBe(true);
    const range = await store.range(sha256);
    try {
      expect(range.byteLength).toBe(bytes.length);
      expect(Buffer.from(await range.slice(100, 200)).equals(bytes.subarray(100, 200))).toBe(true);
      expect(Buffer.from(await range.slice(7 * MiB - 8)).equals(bytes.subarray(7 * MiB - 8))).toBe(true);
      expect((await range.slice(10, 10)).byteLength).toBe(0);
    } finally {
      await range.close();
    }
  });

  it("gives random access to a finished write before it is committed", async () => {
    const { store, leftovers } = make();
    const bytes = randomBytes(300_000);
    const p = await store.beginWrite();
    await p.write(bytes);
    await expect(p.range()).rejects.toThrow(/finish/);
    await p.finish();
    const range = await p.range();
    expect(Buffer.from(await range.slice(299_990)).equals(bytes.subarray(299_990))).toBe(true);
    await range.close();
    await p.abort();
    expect(await leftovers()).toEqual([]);
  });

  it("leaves nothing behind when a write is aborted, at any point", async () => {
    const { store, leftovers } = make();
    // Mid-way through a multipart upload: two parts are already on the server.
    const mid = await store.beginWrite();
    for (let i = 0; i < 12; i++) await mid.write(randomBytes(MiB));
    if (name === "s3") await expect.poll(() => s3.openUploads()).toHaveLength(1);
    await mid.abort();
    await expect(mid.write(Buffer.from("more"))).rejects.toThrow();
    // After finish(): the whole object sits at its temporary key.
    const finished = await store.beginWrite();
    await finished.write(randomBytes(2 * MiB));
    await finished.finish();
    expect(await leftovers()).toHaveLength(1);
    await finished.abort();
    // Before any byte; and twice.
    const empty = await store.beginWrite();
    await empty.abort();
    await empty.abort();
    expect(await leftovers()).toEqual([]);
  });
});

describe("S3 configuration from the environment", () => {
  it("reads bucket, prefix, endpoint, region and path style", () => {
    expect(s3ConfigFromEnv("s3://ml-artifacts/cairn/prod/", { AWS_ENDPOINT_URL_S3: "http://minio:9000", AWS_ENDPOINT_URL: "http://other", CAIRN_S3_FORCE_PATH_STYLE: "1" })).toEqual({
      bucket: "ml-artifacts",
      prefix: "cairn/prod/",
      client: { endpoint: "http://minio:9000", region: "us-east-1", forcePathStyle: true },
    });
    expect(s3ConfigFromEnv("s3://b", { AWS_REGION: "eu-west-3" })).toEqual({ bucket: "b", prefix: "", client: { endpoint: undefined, region: "eu-west-3", forcePathStyle: false } });
  });
});
