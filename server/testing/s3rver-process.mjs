// A real S3-compatible server (s3rver) in its own process, so a test measuring its own memory
// measures the client only. Prints {"port":N} on stdout once listening; stops when stdin closes.
import fs from "node:fs/promises";
import path from "node:path";
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: bucket }] });

// s3rver 3.7 does not implement AbortMultipartUpload (DELETE ?uploadId= answers 405) and keeps
// the parts under <directory>/<bucket>/._S3rver_uploads/<uploadId>/. This adds that one S3 call
// on top of s3rver's own storage layout, so an abort can be checked end to end.
server.middleware.unshift(async (ctx, next) => {
  const m = ctx.method === "DELETE" && /^\/([^/]+)\/.+$/.exec(ctx.path);
  const uploadId = ctx.query.uploadId;
  if (!m || typeof uploadId !== "string" || !/^[A-Za-z0-9_-]+$/.test(uploadId)) return next();
  const dir = path.join(server.store.getResourcePath(m[1], undefined, "uploads"), uploadId);
  await fs.rm(dir, { recursive: true, force: true });
  ctx.status = 204;
});

server.run().then((addr) => {
  process.stdout.write(JSON.stringify({ port: addr.port }) + "\n");
});
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
