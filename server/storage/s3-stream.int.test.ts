import { createHash } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startS3rver, type TestS3 } from "../testing/s3rver";

const MiB = 1024 * 1024;
// 512 MiB by default keeps `npm test` reasonable on a small machine; CAIRN_TEST_S3_STREAM_MB=3072 checks 3 GiB.
const TOTAL_MIB = Number(process.env.CAIRN_TEST_S3_STREAM_MB ?? 512);
const RSS_GROWTH_LIMIT = 300 * MiB;

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(() => s3?.stop());

it(`streams ${TOTAL_MIB} MiB into S3 without holding it in memory`, { timeout: 60_000 + TOTAL_MIB * 500 }, async () => {
  const store = s3.store("stream/");
  const expected = createHash("sha256");
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const started = Date.now();
  const pending = await store.beginWrite();
  for (let i = 0; i < TOTAL_MIB; i++) {
    // Fresh bytes per chunk, so nothing could be deduplicated or cached by identity.
    const chunk = Buffer.alloc(MiB, i % 251);
    chunk.writeUInt32BE(i, 0);
    expected.update(chunk);
    await pending.write(chunk);
    if (i % 16 === 0) peak = Math.max(peak, process.memoryUsage.rss());
  }
  const { sha256, sizeBytes } = await pending.finish();
  peak = Math.max(peak, process.memoryUsage.rss());
  await pending.commit();
  const seconds = (Date.now() - started) / 1000;
  console.log(`S3 streaming put: ${TOTAL_MIB} MiB in ${seconds.toFixed(1)} s, RSS growth ${((peak - baseline) / MiB).toFixed(0)} MiB`);

  expect(sizeBytes).toBe(TOTAL_MIB * MiB);
  expect(sha256).toBe(expected.digest("hex"));
  expect(peak - baseline).toBeLessThan(RSS_GROWTH_LIMIT);
  expect(await store.stat(sha256)).toEqual({ sizeBytes: TOTAL_MIB * MiB });
  const tail = await store.range(sha256);
  const last = Buffer.from(await tail.slice(sizeBytes - MiB));
  expect(last.readUInt32BE(0)).toBe(TOTAL_MIB - 1);
  expect(await s3.keys("stream/")).toEqual([`stream/sha256/${sha256}`]);
  expect(await s3.openUploads()).toEqual([]);
  await store.delete(sha256);
});
