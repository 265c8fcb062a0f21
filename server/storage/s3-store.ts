import { createHash, randomUUID } from "node:crypto";
import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCopyCommand,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { checkSha256, type ArtifactStore, type ClosableRange, type PendingArtifact } from "./types";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface S3StoreConfig {
  bucket: string;
  /** "" or a key prefix ending in "/". */
  prefix: string;
  client: S3ClientConfig;
  /**
   * Multipart part size and parts in flight: memory per upload stays near
   * partSize × (queueSize + 1) whatever the object's size. 10,000 parts of 16 MiB allow 156 GiB.
   */
  partSize?: number;
  queueSize?: number;
}

const truthy = (v: string | undefined) => ["1", "true", "yes"].includes((v ?? "").trim().toLowerCase());

/** Reads `s3://bucket/prefix` and the usual AWS variables (the SDK finds the credentials itself). */
export function s3ConfigFromEnv(url: string, vars: Record<string, string | undefined>): S3StoreConfig {
  const parsed = new URL(url);
  const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, "");
  const endpoint = vars.AWS_ENDPOINT_URL_S3 || vars.AWS_ENDPOINT_URL || undefined;
  // S3-compatible servers (MinIO, Ceph, R2 …) ignore the region but the SDK's signer needs one.
  const region = vars.AWS_REGION || vars.AWS_DEFAULT_REGION || (endpoint ? "us-east-1" : undefined);
  return {
    bucket: parsed.hostname,
    prefix: prefix ? `${prefix}/` : "",
    client: { endpoint, region, forcePathStyle: truthy(vars.CAIRN_S3_FORCE_PATH_STYLE) },
  };
}

const isNotFound = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/**
 * Content-addressed artifact store in an S3-compatible bucket: `<prefix>sha256/<hash>`. A write
 * streams to `<prefix>tmp/<uuid>` (multipart, bounded buffering) while hashing, and commit copies
 * it to its address server-side, so no host ever holds a whole artifact in memory or on disk.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly partSize: number;
  readonly queueSize: number;

  constructor(config: S3StoreConfig) {
    this.client = new S3Client(config.client);
    this.bucket = config.bucket;
    this.prefix = config.prefix;
    this.partSize = config.partSize ?? 16 * MiB;
    this.queueSize = config.queueSize ?? 2;
  }

  keyFor(sha256: string): string {
    return `${this.prefix}sha256/${checkSha256(sha256)}`;
  }

  async beginWrite(): Promise<PendingArtifact> {
    return new S3PendingArtifact(this, `${this.prefix}tmp/${randomUUID()}`);
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | null> {
    const size = await this.sizeOf(this.keyFor(sha256));
    return size === null ? null : { sizeBytes: size };
  }

  read(sha256: string, range?: { start: number; end?: number }): Readable {
    const key = this.keyFor(sha256);
    const send = () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end ?? ""}` : undefined }));
    // The request starts when the stream is first read; destroying the stream ends the response body.
    return Readable.from(
      (async function* () {
        const res = await send();
        yield* res.Body as Readable;
      })(),
      { objectMode: false },
    );
  }

  range(sha256: string): Promise<ClosableRange> {
    return this.rangeOf(this.keyFor(sha256));
  }

  async delete(sha256: string): Promise<void> {
    await this.deleteKey(this.keyFor(sha256));
  }

  async sizeOf(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async rangeOf(key: string): Promise<ClosableRange> {
    const size = await this.sizeOf(key);
    if (size === null) throw new Error(`No object at s3://${this.bucket}/${key}`);
    return {
      byteLength: size,
      slice: async (start, end = size) => {
        const last = Math.min(end, size) - 1;
        if (last < start) return new ArrayBuffer(0);
        const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${last}` }));
        const bytes = await res.Body!.transformToByteArray();
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
      close: async () => undefined,
    };
  }

  async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Server-side copy; above CopyObject's 5 GiB limit, a multipart copy in 1 GiB parts. */
  async copy(from: string, to: string, sizeBytes: number): Promise<void> {
    const source = `${this.bucket}/${from.split("/").map(encodeURIComponent).join("/")}`;
    if (sizeBytes <= 5 * GiB) {
      await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: source }));
      return;
    }
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: to }));
    try {
      const parts: { PartNumber: number; ETag?: string }[] = [];
      for (let start = 0, n = 1; start < sizeBytes; start += GiB, n++) {
        const range = `bytes=${start}-${Math.min(sizeBytes, start + GiB) - 1}`;
        const res = await this.client.send(new UploadPartCopyCommand({ Bucket: this.bucket, Key: to, UploadId, PartNumber: n, CopySource: source, CopySourceRange: range }));
        parts.push({ PartNumber: n, ETag: res.CopyPartResult?.ETag });
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: to, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: to, UploadId })).catch(() => undefined);
      throw err;
    }
  }
}

class S3PendingArtifact implements PendingArtifact {
  private readonly hash = createHash("sha256");
  private size = 0;
  private readonly body = new PassThrough({ highWaterMark: MiB });
  private readonly uploaded: Promise<unknown>;
  private failure: unknown = null;
  private finishing: Promise<{ sha256: string; sizeBytes: number }> | null = null;
  private result: { sha256: string; sizeBytes: number } | null = null;

  constructor(
    private readonly store: S3ArtifactStore,
    private readonly tempKey: string,
  ) {
    // abort() destroys the body with an error; lib-storage sees it through its own iterator.
    this.body.on("error", () => undefined);
    const upload = new Upload({
      client: store.client,
      params: { Bucket: store.bucket, Key: tempKey, Body: this.body },
      partSize: store.partSize,
      queueSize: store.queueSize,
      leavePartsOnError: false,
    });
    // When the body fails, lib-storage waits for the parts in flight, then aborts the multipart upload.
    this.uploaded = upload.done();
    this.uploaded.catch((err: unknown) => (this.failure ??= err));
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.finishing) throw new Error("write() after finish()");
    this.hash.update(chunk);
    this.size += chunk.byteLength;
    if (this.body.write(chunk)) return;
    const stop = new AbortController();
    try {
      await Promise.race([
        once(this.body, "drain", { signal: stop.signal }),
        this.uploaded.then(() => Promise.reject(new Error("The upload ended before its body"))),
      ]);
    } finally {
      stop.abort();
    }
  }

  finish(): Promise<{ sha256: string; sizeBytes: number }> {
    this.finishing ??= (async () => {
      this.body.end();
      await this.uploaded;
      this.result = { sha256: this.hash.digest("hex"), sizeBytes: this.size };
      return this.result;
    })();
    return this.finishing;
  }

  async range(): Promise<ClosableRange> {
    if (!this.result) throw new Error("range() needs finish() first");
    return this.store.rangeOf(this.tempKey);
  }

  async commit(): Promise<void> {
    const { sha256, sizeBytes } = await this.finish();
    const key = this.store.keyFor(sha256);
    // Identical bytes are already at their address: keep those and drop the copy.
    if ((await this.store.sizeOf(key)) === null) await this.store.copy(this.tempKey, key, sizeBytes);
    await this.store.deleteKey(this.tempKey);
  }

  async abort(): Promise<void> {
    if (!this.finishing) this.body.destroy(new Error("Upload aborted"));
    await this.uploaded.catch(() => undefined);
    await this.store.deleteKey(this.tempKey);
  }
}
