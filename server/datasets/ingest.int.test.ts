import { describe, expect, it } from "vitest";
import { db } from "../db";
import { AppError } from "../errors";
import { artifactStore } from "../storage/artifact-store";
import { ingestVersion } from "./ingest";
import { ingestSetup, storedFiles, chunks } from "../testing/datasets";

const setup = () => ingestSetup();

const CSV = "id,distance_km,region\n1,3.5,north\n2,10.25,south\n3,,east\n";

describe("ingestVersion", () => {
  it("stores a CSV version, content-addressed, and returns it again for the same bytes", async () => {
    const { base, project } = await setup();
    const first = await ingestVersion(base({ data: CSV }));
    expect(first.created).toBe(true);
    expect(first.version).toMatchObject({ number: 1, rowCount: 3, columns: ["id", "distance_km", "region"], delimiter: ",", encoding: "utf-8", format: "CSV" });
    expect(first.version.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await ingestVersion(base({ data: CSV, body: chunks(CSV, 3) }));
    expect(again).toMatchObject({ created: false, version: { id: first.version.id } });
    expect(await db().datasetVersion.count({ where: { projectId: project.id } })).toBe(1);
    expect(await artifactStore().stat(first.version.sha256)).toEqual({ sizeBytes: Buffer.byteLength(CSV) });
    const second = await ingestVersion(base({ data: CSV + "4,1.0,west\n" }));
    expect(second.version.number).toBe(2);
    // The version-created event is in the outbox, written with the version.
    expect(await db().outboxEvent.count({ where: { projectId: project.id, type: "dataset.version.created" } })).toBe(2);
  });

  it("detects semicolons, tabs and Windows-1252", async () => {
    const { base } = await setup();
    const semi = await ingestVersion(base({ data: "a;b\n1;2\n", dataset: "semi" }));
    expect(semi.version).toMatchObject({ delimiter: ";", columns: ["a", "b"] });
    const tab = await ingestVersion(base({ data: "a\tb\n1\t2\n", dataset: "tab", fileName: "t.tsv" }));
    expect(tab.version.delimiter).toBe("\t");
    const latin = Buffer.concat([Buffer.from("city,n\n"), Buffer.from([0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e]), Buffer.from(",1\n")]);
    const cp = await ingestVersion(base({ data: latin, dataset: "latin" }));
    expect(cp.version.encoding).toBe("windows-1252");
  });

  it("reads JSON Lines and takes the union of keys as columns", async () => {
    const { base } = await setup();
    const { version } = await ingestVersion(base({ data: '{"a":1,"b":"x"}\n{"a":2,"c":true}\n', fileName: "e.jsonl", dataset: "events" }));
    expect(version).toMatchObject({ format: "JSONL", columns: ["a", "b", "c"], rowCount: 2 });
  });

  const badInputs: { name: string; data: string | Uint8Array; fileName?: string; encoding?: "utf-8"; message: RegExp }[] = [
    { name: "ragged rows", data: "a,b,c\n1,2,3\n4,5\n", message: /Malformed CSV: .*(Record Length|expect).*line 3/i },
    { name: "unterminated quote", data: 'a,b\n1,"unterminated\n2,3\n', message: /Malformed CSV: .*quote/i },
    { name: "wrong encoding", data: Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x2c, 0x31, 0x0a]), encoding: "utf-8", message: /not valid utf-8/i },
    { name: "empty file", data: "", message: /empty/i },
    { name: "header only", data: "a,b,c\n", message: /no data rows/i },
    { name: "duplicate column names", data: "a,b,a\n1,2,3\n", message: /Duplicate column name "a"/ },
    { name: "10,000 columns", data: Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(",") + "\n" + Array(10_000).fill("1").join(",") + "\n", message: /more than 2000 columns.*at most 2000/ },
    { name: "not Parquet", data: "a,b\n1,2\n", fileName: "data.parquet", message: /not a Parquet file/ },
    { name: "path traversal name", data: "a\n1\n", fileName: "../../etc/passwd.csv", message: /looks like a path/ },
    { name: "JSON Lines with a bad line", data: '{"a":1}\n{nope}\n', fileName: "x.jsonl", message: /Line 2 is not valid JSON/ },
  ];

  for (const c of badInputs) {
    it(`refuses ${c.name} with a clear error and leaves nothing behind`, async () => {
      const { base, project } = await setup();
      const before = await storedFiles();
      const err = await ingestVersion(base({ data: c.data, fileName: c.fileName ?? "bad.csv", encoding: c.encoding, dataset: "bad" })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("BAD_REQUEST");
      expect((err as AppError).message).toMatch(c.message);
      expect(await db().datasetVersion.count({ where: { projectId: project.id } })).toBe(0);
      expect(await storedFiles()).toEqual(before);
    });
  }

  it("leaves no version and no artifact when the client aborts mid-stream", async () => {
    const { base, project } = await setup();
    async function* aborted() {
      yield Buffer.from("a,b\n1,2\n3,4\n");
      throw new Error("aborted");
    }
    const before = await storedFiles();
    await expect(ingestVersion(base({ data: "", body: aborted() }))).rejects.toThrow("aborted");
    expect(await db().datasetVersion.count({ where: { projectId: project.id } })).toBe(0);
    expect(await storedFiles()).toEqual(before);
  });

  it("records parents and transform of a derived version as lineage", async () => {
    const { base } = await setup();
    const raw = await ingestVersion(base({ data: CSV, dataset: "raw" }));
    const clean = await ingestVersion(
      base({ data: "id,distance_km\n1,3.5\n2,10.25\n", dataset: "clean", parents: [raw.version.id], transform: { name: "drop-missing", repo: "git@x:y.git", commit: "abc123", params: { column: "distance_km" } } }),
    );
    expect(clean.version.transform).toMatchObject({ name: "drop-missing", commit: "abc123" });
    const edge = await db().lineageEdge.findFirst({ where: { fromId: clean.version.id, relation: "derived_from" } });
    expect(edge).toMatchObject({ toKind: "dataset_version", toId: raw.version.id });
  });

  it("answers a derived version with its parents, created or returned again", async () => {
    const { base } = await setup();
    const raw = await ingestVersion(base({ data: CSV, dataset: "raw" }));
    const other = await ingestVersion(base({ data: CSV + "9,1,west\n", dataset: "raw" }));
    const data = "id,distance_km\n1,3.5\n";
    const args = { data, dataset: "clean", parents: [raw.version.id, other.version.id], transform: { name: "merge" } };
    const expected = [
      { id: raw.version.id, datasetId: raw.version.datasetId, datasetSlug: "raw", number: 1 },
      { id: other.version.id, datasetId: raw.version.datasetId, datasetSlug: "raw", number: 2 },
    ];
    const created = await ingestVersion(base(args));
    expect(created.created).toBe(true);
    expect([...created.version.parents].sort((a, b) => a.number - b.number)).toEqual(expected);
    const again = await ingestVersion(base(args));
    expect(again.created).toBe(false);
    expect([...again.version.parents].sort((a, b) => a.number - b.number)).toEqual(expected);
  });

  it("refuses parents from another project", async () => {
    const a = await setup();
    const b = await setup();
    const foreign = await ingestVersion(b.base({ data: CSV }));
    await expect(ingestVersion(a.base({ data: CSV, parents: [foreign.version.id] }))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
