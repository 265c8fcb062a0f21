import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { S3ArtifactStore, type S3StoreConfig } from "../storage/s3-store";

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** A store over this server (s3rver's fixed credentials, path-style addressing). */
  store(prefix: string, over?: Partial<S3StoreConfig>): S3ArtifactStore;
  /** Every key in the bucket under `prefix` (ListObjectsV2, all pages). */
  keys(prefix?: string): Promise<string[]>;
  /** Multipart uploads neither completed nor aborted (s3rver keeps them as folders). */
  openUploads(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Environment for the S3 client, as an operator would set it. */
export const s3Env = (s3: TestS3, prefix: string) => ({
  CAIRN_ARTIFACT_STORE: `s3://${s3.bucket}/${prefix}`,
  AWS_ENDPOINT_URL: s3.endpoint,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  CAIRN_S3_FORCE_PATH_STYLE: "1",
});

/** Starts s3rver (a real S3-compatible HTTP server) in a child process on a free port. */
export async function startS3rver(bucket = "cairn-test"): Promise<TestS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-s3rver-"));
  const child = spawn(process.execPath, [path.join(import.meta.dirname, "s3rver-process.mjs"), dir, bucket], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
  const endpoint = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  const client = { endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } };
  const admin = new S3ArtifactStore({ bucket, prefix: "", client });
  return {
    endpoint,
    bucket,
    store: (prefix, over) => new S3ArtifactStore({ bucket, prefix, client, ...over }),
    async keys(prefix = "") {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await admin.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        out.push(...(page.Contents ?? []).map((c) => c.Key!));
        token = page.NextContinuationToken;
      } while (token);
      return out;
    },
    openUploads: () => readdir(path.join(dir, bucket, "._S3rver_uploads")).catch(() => []),
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin!.end();
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
