import { createHash, randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { checkSha256, type ArtifactStore, type ClosableRange, type PendingArtifact } from "./types";

/**
 * Content-addressed artifact store on the local filesystem: `<dir>/sha256/ab/cdef…`. Writes go
 * through `<dir>/tmp` and appear under their address only when committed, so an interrupted
 * upload never leaves a partial artifact behind.
 */
export class LocalArtifactStore implements ArtifactStore {
  constructor(readonly dir: string) {}

  private pathFor(sha256: string): string {
    checkSha256(sha256);
    return path.join(this.dir, "sha256", sha256.slice(0, 2), sha256.slice(2));
  }

  async beginWrite(): Promise<PendingArtifact> {
    const tmpDir = path.join(this.dir, "tmp");
    await mkdir(tmpDir, { recursive: true });
    const tempPath = path.join(tmpDir, `${randomUUID()}.part`);
    const hash = createHash("sha256");
    const out: WriteStream = createWriteStream(tempPath, { flags: "wx" });
    let size = 0;
    let result: { sha256: string; sizeBytes: number } | null = null;
    let failed: Error | null = null;
    out.on("error", (err) => (failed = err));
    const pending: PendingArtifact = {
      async range() {
        if (!result) throw new Error("range() needs finish() first");
        return fileRange(tempPath);
      },
      async write(chunk) {
        if (failed) throw failed;
        hash.update(chunk);
        size += chunk.byteLength;
        // events.once settles on "drain" or "error" and removes both listeners either way.
        if (!out.write(chunk)) await once(out, "drain");
      },
      async finish() {
        if (result) return result;
        await new Promise<void>((resolve, reject) => {
          out.once("error", reject);
          out.end(() => resolve());
        });
        if (failed) throw failed;
        result = { sha256: hash.digest("hex"), sizeBytes: size };
        return result;
      },
      commit: async () => {
        const { sha256 } = await pending.finish();
        const final = this.pathFor(sha256);
        await mkdir(path.dirname(final), { recursive: true });
        // rename() replaces an identical file atomically, so concurrent uploads of the same bytes agree.
        await rename(tempPath, final);
      },
      async abort() {
        // A write after abort must fail, not wait forever for a "drain" a destroyed stream never emits.
        failed ??= new Error("Upload aborted");
        // Wait for the stream to close: an open still in flight would recreate the file after rm.
        if (!out.closed) await new Promise<void>((resolve) => {
          out.once("close", () => resolve());
          out.destroy();
        });
        await rm(tempPath, { force: true });
      },
    };
    return pending;
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | null> {
    const s = await stat(this.pathFor(sha256)).catch(() => null);
    return s ? { sizeBytes: s.size } : null;
  }

  read(sha256: string, range?: { start: number; end?: number }): Readable {
    return createReadStream(this.pathFor(sha256), range ? { start: range.start, end: range.end } : {});
  }

  async range(sha256: string): Promise<ClosableRange> {
    return fileRange(this.pathFor(sha256));
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathFor(sha256), { force: true });
  }

  /** Removes temporary files older than `olderThanMs` (left by processes that died mid-upload). */
  async sweepTemp(olderThanMs = 24 * 3600_000): Promise<number> {
    const tmpDir = path.join(this.dir, "tmp");
    let removed = 0;
    for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
      const file = path.join(tmpDir, name);
      const s = await stat(file).catch(() => null);
      if (s && Date.now() - s.mtimeMs > olderThanMs) {
        await rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

/** Random access to a local file through one open handle. */
export async function fileRange(file: string): Promise<ClosableRange> {
  const handle = await open(file, "r");
  const { size } = await handle.stat();
  return {
    byteLength: size,
    async slice(start, end = size) {
      const length = Math.max(0, Math.min(end, size) - start);
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, start);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    },
    close: () => handle.close(),
  };
}
