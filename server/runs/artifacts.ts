import { Readable } from "node:stream";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { artifactStore } from "../storage/artifact-store";
import { collectUnreferenced, commitReferenced } from "../storage/references";
import { assertWithinQuota, UploadBudget, uploadLimits, type UploadLimits } from "../storage/quota";

const TYPES: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", svg: "image/svg+xml",
  json: "application/json", csv: "text/csv", tsv: "text/tab-separated-values", txt: "text/plain", log: "text/plain", md: "text/markdown",
  yaml: "text/yaml", yml: "text/yaml", html: "text/html", onnx: "application/octet-stream", parquet: "application/octet-stream",
};

/** An artifact path: relative, "/"-separated, no "." or ".." segments. */
export function checkArtifactPath(segments: string[]): string {
  const path = segments.join("/");
  if (!path || path.length > 500) throw new AppError("BAD_REQUEST", "Artifact paths are 1 to 500 characters");
  if (segments.some((s) => !s || s === "." || s === ".." || /[\\\u0000-\u001f]/.test(s))) {
    throw new AppError("BAD_REQUEST", `"${path}" is not a valid artifact path (no empty, "." or ".." segments, backslashes or control characters)`);
  }
  return path;
}

const ARTIFACT_URL = /^\/api\/v1\/projects\/[^/]+\/runs\/[^/]+\/artifacts\/(.*)$/;

/**
 * The artifact path a request URL names: the raw segments after `/artifacts/`, each percent-decoded
 * exactly once, and only then checked, so `%2e%2e%2f` is judged as the `../` it decodes to.
 * Malformed encoding (`%zz`) is bad input.
 */
export function artifactPathFromUrl(url: string): string {
  const raw = ARTIFACT_URL.exec(new URL(url).pathname)?.[1];
  if (raw === undefined) throw new AppError("BAD_REQUEST", "The URL names no artifact path");
  return decodeArtifactPath(raw);
}

/** A raw ("/"-separated, percent-encoded) artifact path from a URL, each segment decoded once, then checked. */
export function decodeArtifactPath(raw: string): string {
  const decoded = raw.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new AppError("BAD_REQUEST", "The artifact path has malformed percent-encoding");
    }
  });
  return checkArtifactPath(decoded.join("/").split("/"));
}

/** An artifact's bytes as an HTTP answer; scripts in HTML or SVG artifacts are sandboxed away from Cairn's origin. */
export function artifactResponse(row: { contentType: string; sizeBytes: bigint; sha256: string }, stream: Readable): Response {
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "content-type": row.contentType,
      "content-length": String(row.sizeBytes),
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox",
      "cache-control": "private, max-age=60",
      etag: `"${row.sha256}"`,
    },
  });
}

export const contentTypeOf = (path: string) => TYPES[path.split(".").at(-1)?.toLowerCase() ?? ""] ?? "application/octet-stream";

/** Stores an artifact of a run; the same path again replaces it (the bytes stay content-addressed). */
export async function putArtifact(args: { projectId: string; runId: string; path: string; body: AsyncIterable<Uint8Array>; contentType?: string | null; limits?: UploadLimits }) {
  const run = await db().run.findFirst({ where: { id: args.runId, projectId: args.projectId }, select: { id: true } });
  if (!run) throw notFound("Run");
  const { orgId } = await db().project.findUniqueOrThrow({ where: { id: args.projectId }, select: { orgId: true } });
  const limits = args.limits ?? uploadLimits();
  const budget = await UploadBudget.forOrg(orgId, limits);
  const pending = await artifactStore().beginWrite();
  const contentType = args.contentType && args.contentType !== "application/octet-stream" ? args.contentType.split(";")[0]!.trim() : contentTypeOf(args.path);
  let replaced: string | null = null;
  let written: string | null = null;
  let sha256: string;
  let sizeBytes: number;
  try {
    for await (const chunk of args.body) {
      budget.take(chunk.byteLength);
      await pending.write(chunk);
    }
    ({ sha256, sizeBytes } = await pending.finish());
    written = sha256;
    // The bytes are pinned at their address while the row that references them is recorded.
    await commitReferenced(pending, () =>
      db().$transaction(async (tx) => {
        const before = await tx.runArtifact.findUnique({ where: { runId_path: { runId: run.id, path: args.path } }, select: { sha256: true, sizeBytes: true } });
        await assertWithinQuota(tx, orgId, sizeBytes - Number(before?.sizeBytes ?? 0), limits);
        replaced = before && before.sha256 !== sha256 ? before.sha256 : null;
        await tx.runArtifact.upsert({
          where: { runId_path: { runId: run.id, path: args.path } },
          create: { projectId: args.projectId, runId: run.id, path: args.path, sha256, sizeBytes: BigInt(sizeBytes), contentType },
          update: { sha256, sizeBytes: BigInt(sizeBytes), contentType },
        });
      }),
    );
  } catch (err) {
    await pending.abort();
    // Refused after the bytes reached their address (say, over the quota): they go unless a row refers to them.
    if (written) await collectUnreferenced([written]);
    throw err;
  }
  // The bytes this path held before go when nothing else refers to them.
  if (replaced) await collectUnreferenced([replaced]);
  return { path: args.path, sha256, sizeBytes, contentType };
}

export async function getArtifact(projectId: string, runId: string, path: string) {
  const row = await db().runArtifact.findFirst({ where: { runId, path, projectId } });
  if (!row) throw notFound("Artifact");
  return { row, stream: artifactStore().read(row.sha256) };
}
