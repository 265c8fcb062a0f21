import type { Readable } from "node:stream";

/** Random access to stored bytes, the shape Parquet readers want. */
export interface ArtifactRange {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
}

/** A range reader that holds a resource (a file handle) until closed. */
export type ClosableRange = ArtifactRange & { close(): Promise<void> };

/** A write in progress: bytes go to a temporary location while their SHA-256 is computed. */
export interface PendingArtifact {
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the write; returns the content hash and size. The bytes are not in the store yet. */
  finish(): Promise<{ sha256: string; sizeBytes: number }>;
  /** Random access to the written bytes after finish() (e.g. to check a Parquet footer before commit). */
  range(): Promise<ClosableRange>;
  /** Moves the bytes to their content address. Idempotent when the same content is already stored. */
  commit(): Promise<void>;
  /** Removes everything the write left behind; safe to call at any point and more than once. */
  abort(): Promise<void>;
}

/**
 * Content-addressed artifact storage. Bytes are addressed by their SHA-256 and never listed: the
 * database says which addresses exist, so a store can be a folder or a bucket shared by many hosts.
 */
export interface ArtifactStore {
  beginWrite(): Promise<PendingArtifact>;
  /** Streams stored bytes; `range.end` is inclusive, as in fs.createReadStream and HTTP ranges. */
  read(sha256: string, range?: { start: number; end?: number }): Readable;
  range(sha256: string): Promise<ClosableRange>;
  stat(sha256: string): Promise<{ sizeBytes: number } | null>;
  /** Removes the bytes at an address; removing a missing address is not an error. */
  delete(sha256: string): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function checkSha256(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
  return sha256;
}
