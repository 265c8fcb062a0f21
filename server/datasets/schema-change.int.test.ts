import { describe, expect, it } from "vitest";
import { PUT } from "@/app/api/v1/projects/[project]/datasets/[dataset]/versions/route";
import { db } from "../db";
import { callerAs, createTestProject, createUser, mintToken } from "../testing/factories";

async function setup() {
  const owner = await createUser();
  const project = await createTestProject(owner.orgId, owner);
  const { secret } = await mintToken(owner, { role: "MEMBER" });
  const upload = async (csv: string | ReadableStream<Uint8Array>, query = "") => {
    const res = await PUT(
      new Request(`http://cairn.test/api/v1/projects/${project.id}/datasets/trips/versions?fileName=t.csv${query}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${secret}` },
        body: csv,
        duplex: "half",
      } as RequestInit),
      { params: Promise.resolve({ project: project.id, dataset: "trips" }) },
    );
    return { status: res.status, body: (await res.json()) as { version?: { id: string; number: number; schemaChange: unknown }; error?: { code: string; message: string } } };
  };
  return { owner, project, upload };
}

describe("a new version whose columns differ", () => {
  it("is refused with 409 listing the differences, and nothing is recorded", async () => {
    const { project, upload } = await setup();
    expect((await upload("id,km,region\n1,2,n\n")).status).toBe(201);
    const refused = await upload("id,distance,region,express\n1,2,n,true\n");
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("CONFLICT");
    expect(refused.body.error?.message).toMatch(/differ from version 1: added "distance", "express"; removed "km"/);
    expect(refused.body.error?.message).toMatch(/allowSchemaChange=1/);
    expect(await db().datasetVersion.count({ where: { projectId: project.id } })).toBe(1);
  });

  it("does not refuse the very bytes of an older version: they return that version", async () => {
    const { upload } = await setup();
    const first = await upload("id,km,region\n1,2,n\n");
    expect((await upload("id,km,region,express\n1,2,n,true\n", "&allowSchemaChange=1")).status).toBe(201);
    const again = await upload("id,km,region\n1,2,n\n");
    expect(again.status).toBe(200);
    expect(again.body.version?.id).toBe(first.body.version?.id);
    // Other bytes with the old columns are still a schema change against the latest version.
    expect((await upload("id,km,region\n9,9,s\n")).status).toBe(409);
  });

  it("is accepted with allowSchemaChange=1 and recorded on the version, its audit event and the versions list", async () => {
    const { owner, project, upload } = await setup();
    await upload("id,km,region\n1,2,n\n");
    const accepted = await upload("id,distance,region\n1,2,n\n", "&allowSchemaChange=1");
    expect(accepted.status).toBe(201);
    const change = { fromNumber: 1, added: ["distance"], removed: ["km"] };
    expect(accepted.body.version).toMatchObject({ number: 2, schemaChange: change });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { projectId: project.id, action: "dataset.version.create", targetId: accepted.body.version!.id } });
    expect(audit.after).toMatchObject({ schemaChange: change });
    const dataset = await db().dataset.findFirstOrThrow({ where: { projectId: project.id, slug: "trips" } });
    const listed = await callerAs(owner).dataset.versions({ projectId: project.id, datasetId: dataset.id });
    expect(listed.map((v) => [v.number, v.schemaChange])).toEqual([[2, change], [1, null]]);
  });

  it("accepts the same columns in another order, and compares with the latest version", async () => {
    const { upload } = await setup();
    await upload("id,km\n1,2\n");
    const reordered = await upload("km,id\n3,4\n");
    expect(reordered.status).toBe(201);
    expect(reordered.body.version?.schemaChange).toBeNull();
    await upload("id,km,extra\n1,2,3\n", "&allowSchemaChange=true");
    // Version 3 has `extra`: a file like version 2 now removes it.
    const back = await upload("id,km\n9,9\n");
    expect(back.status).toBe(409);
    expect(back.body.error?.message).toMatch(/differ from version 3: removed "extra"/);
  });

  it("stops a large CSV at its header, before the rows are read", async () => {
    const { upload } = await setup();
    await upload("id,km\n1,2\n");
    let pulled = 0;
    let row = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 20 * 1024 * 1024) return controller.close();
        const lines = pulled === 0 ? ["id,miles"] : [];
        while (lines.length < 2000) lines.push(`${row},${row++ % 97}`);
        const chunk = Buffer.from(lines.join("\n") + "\n");
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const refused = await upload(body);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toMatch(/added "miles"; removed "km"/);
    expect(pulled).toBeLessThan(1024 * 1024);
  });
});
