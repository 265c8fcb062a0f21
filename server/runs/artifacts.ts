import { db } from "../db";
import { AppError, notFound } from "../errors";
import { artifactStore } from "../storage/artifact-store";
import { deleteIfUnreferenced, lockContent } from "../storage/references";
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

export const contentTypeOf = (path: string) => TYPES[path.split(".").at(-1)?.toLowerCase() ?? ""] ?? "application/octet-stream";

/** Stores an artifact of a run; the same path again replaces it (the bytes stay content-addressed). */
export async function putArtifact(args: { projectId: string; runId: string; path: string; body: AsyncIterable<Uint8Array>; contentType?: string | null; limits?: UploadLimits }) {
  const run = await db().run.findFirst({ where: { id: args.runId, projectId: args.projectId }, select: { id: true } });
  if (!run) throw notFound("Run");
  const { orgId } = await db().project.findUniqueOrThrow({ where: { id: args.projectId }, select: { orgId: true } });
  const limits = args.limits ?? uploadLimits();
  const budget = await UploadBudget.forOrg(orgId, limits);
  const store = artifactStore();
  const pending = await store.beginWrite();
  try {
    for await (const chunk of args.body) {
      budget.take(chunk.byteLength);
      await pending.write(chunk);
    }
    await pending.finish();
  } catch (err) {
    await pending.abort();
    throw err;
  }
  const { sha256, sizeBytes } = await pending.finish();
  const contentType = args.contentType && args.contentType !== "application/octet-stream" ? args.contentType.split(";")[0]!.trim() : contentTypeOf(args.path);
  let committed = false;
  const row = await db()
    .$transaction(async (tx) => {
      const replaced = await tx.runArtifact.findUnique({ where: { runId_path: { runId: run.id, path: args.path } }, select: { sizeBytes: true } });
      await assertWithinQuota(tx, orgId, sizeBytes - Number(replaced?.sizeBytes ?? 0), limits);
      // The bytes reach their address under the content lock, so a concurrent failure cannot remove them.
      await lockContent(tx, sha256);
      await pending.commit();
      committed = true;
      return tx.runArtifact.upsert({
        where: { runId_path: { runId: run.id, path: args.path } },
        create: { projectId: args.projectId, runId: run.id, path: args.path, sha256, sizeBytes: BigInt(sizeBytes), contentType },
        update: { sha256, sizeBytes: BigInt(sizeBytes), contentType },
      });
    })
    .catch(async (err: unknown) => {
      // Refused (say, over quota): committed bytes go unless some row refers to them.
      if (committed) await deleteIfUnreferenced(sha256);
      else await pending.abort();
      throw err;
    });
  return { path: row.path, sha256, sizeBytes, contentType };
}

export async function getArtifact(projectId: string, runId: string, path: string) {
  const row = await db().runArtifact.findFirst({ where: { runId, path, projectId } });
  if (!row) throw notFound("Artifact");
  return { row, stream: artifactStore().read(row.sha256) };
}
