import { describe, expect, it } from "vitest";
import { db, pool } from "../db";
import { artifactStore } from "../storage/artifact-store";
import { AppError } from "../errors";
import { ingestVersion } from "./ingest";
import { ingestSetup } from "../testing/datasets";

const setup = () => ingestSetup(64);

const csv = (i: number) => `id,value\n${i},${i * 1.5}\n${i + 1},2\n`;

describe("concurrent uploads to one dataset", () => {
  it("numbers 50 parallel distinct uploads to an existing dataset 1..50 without an error", async () => {
    const { base, project } = await setup();
    const first = await ingestVersion(base({ data: csv(0) }));
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => ingestVersion(base({ data: csv(i + 1) }))));
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const numbers = results.map((r) => (r as PromiseFulfilledResult<{ version: { number: number } }>).value.version.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(await db().datasetVersion.count({ where: { datasetId: first.version.datasetId } })).toBe(51);
    expect(await db().dataset.count({ where: { projectId: project.id } })).toBe(1);
  });

  it("creates a new slug's dataset once when 50 first uploads race, numbering them 1..50", async () => {
    const { base, project } = await setup();
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => ingestVersion(base({ dataset: "fresh", data: csv(i) }))));
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const versions = results.map((r) => (r as PromiseFulfilledResult<{ created: boolean; version: { number: number; datasetId: string } }>).value);
    expect(versions.every((v) => v.created)).toBe(true);
    expect(versions.map((v) => v.version.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(versions.map((v) => v.version.datasetId)).size).toBe(1);
    expect(await db().dataset.count({ where: { projectId: project.id } })).toBe(1);
    // The dataset's creation is audited exactly once.
    expect(await db().auditEvent.count({ where: { projectId: project.id, action: "dataset.create" } })).toBe(1);
  });

  it("answers the same version to identical bytes uploaded in parallel to a new slug", async () => {
    const { base, project } = await setup();
    const results = await Promise.all(Array.from({ length: 10 }, () => ingestVersion(base({ dataset: "same", data: csv(7) }))));
    expect(new Set(results.map((r) => r.version.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db().datasetVersion.count({ where: { projectId: project.id } })).toBe(1);
  });
});

describe("dataset slugs on the upload path", () => {
  for (const slug of ["a/b", "<script>", "x".repeat(300), "Upper", "a", "api", "bad slug", "a\u0000b"]) {
    it(`refuses to create a dataset named ${JSON.stringify(slug.slice(0, 20))} and creates nothing`, async () => {
      const { base, project } = await setup();
      const err = await ingestVersion(base({ dataset: slug, data: csv(1) })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("BAD_REQUEST");
      expect((err as AppError).message).toMatch(/slug/i);
      expect(await db().dataset.count({ where: { projectId: project.id } })).toBe(0);
    });
  }

  it("leaves no empty dataset behind when the first upload to a new slug is malformed", async () => {
    const { base, project } = await setup();
    await expect(ingestVersion(base({ dataset: "broken", data: "a,b\n1,2,3\n" }))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().dataset.count({ where: { projectId: project.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { projectId: project.id, action: "dataset.create" } })).toBe(0);
  });

  it("leaves no empty dataset behind when the first upload to a new slug is aborted", async () => {
    const { base, project } = await setup();
    async function* aborted() {
      yield Buffer.from("a,b\n1,2\n");
      throw new Error("aborted");
    }
    await expect(ingestVersion(base({ dataset: "gone", data: "", body: aborted() }))).rejects.toThrow("aborted");
    expect(await db().dataset.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("still uploads to an existing dataset by its id", async () => {
    const { base } = await setup();
    const first = await ingestVersion(base({ dataset: "by-id", data: csv(1) }));
    const second = await ingestVersion(base({ dataset: first.version.datasetId, createDataset: false, data: csv(2) }));
    expect(second.version).toMatchObject({ datasetId: first.version.datasetId, number: 2 });
  });
});

describe("bytes shared by two uploads", () => {
  it("are not deleted by one upload's failure while another upload of the same bytes is recording them", async () => {
    const { base, project } = await setup();
    const jsonl = (keys: string[]) => keys.map((k, i) => JSON.stringify({ [k]: i })).join("\n") + "\n";
    // Dataset "held" exists; the test holds its row lock so that B waits inside its transaction.
    await ingestVersion(base({ dataset: "held", data: jsonl(["a", "b"]), fileName: "h.jsonl" }));
    await ingestVersion(base({ dataset: "other", data: jsonl(["x"]), fileName: "o.jsonl" }));
    const shared = jsonl(["a", "b"]).replace("0", "7");
    const held = await db().dataset.findFirstOrThrow({ where: { projectId: project.id, slug: "held" } });
    const locker = await pool().connect();
    try {
      await locker.query("BEGIN");
      await locker.query('SELECT id FROM "Dataset" WHERE id = $1 FOR UPDATE', [held.id]);
      const b = ingestVersion(base({ dataset: "held", data: shared, fileName: "b.jsonl" }));
      // Wait until B is blocked on the row lock.
      for (let i = 0; i < 200; i++) {
        const { rows } = await locker.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
        if (Number(rows[0]!.n) > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      // A: the same bytes to a dataset whose columns differ (JSON Lines: refused inside the transaction).
      await expect(ingestVersion(base({ dataset: "other", data: shared, fileName: "a.jsonl" }))).rejects.toMatchObject({ code: "CONFLICT" });
      await locker.query("COMMIT");
      const { version } = await b;
      expect(await artifactStore().stat(version.sha256)).not.toBeNull();
    } finally {
      locker.release();
    }
  });
});
