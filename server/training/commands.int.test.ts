import { describe, expect, it } from "vitest";
import { db } from "../db";
import { addMember, callerAs, callerWithToken, createTestProject, createUser, mintToken } from "../testing/factories";

const SECRET = "s3cr3t-value-123";

describe("training command environment values", () => {
  it("are write-only: no role reads them back, an edit that leaves a value blank keeps it", async () => {
    const owner = await createUser();
    const project = await createTestProject(owner.orgId, owner);
    const saved = await callerAs(owner).training.saveCommand({ projectId: project.id, name: "train", command: "python3 train.py", env: { API_KEY: SECRET, REGION: "eu" } });
    expect(saved.envKeys).toEqual(["API_KEY", "REGION"]);
    expect(JSON.stringify(saved)).not.toContain(SECRET);

    const readers = [];
    for (const role of ["VIEWER", "MEMBER", "ADMIN", "OWNER"] as const) {
      const user = await createUser();
      await addMember(owner.orgId, user, role);
      readers.push([`user ${role}`, callerAs(user)] as const);
    }
    for (const role of ["VIEWER", "MEMBER", "ADMIN"] as const) {
      readers.push([`token ${role}`, await callerWithToken((await mintToken(owner, { role })).secret)] as const);
    }
    for (const [who, caller] of readers) {
      const [listed] = await caller.training.commands({ projectId: project.id });
      expect(listed!.envKeys, who).toEqual(["API_KEY", "REGION"]);
      expect(JSON.stringify(listed), who).not.toContain(SECRET);
      expect(JSON.stringify(listed), who).not.toContain('"eu"');
    }

    // Edit: API_KEY left blank keeps its value, REGION changes, a removed key goes.
    await callerAs(owner).training.saveCommand({ projectId: project.id, name: "train", command: "python3 train.py --v2", env: { API_KEY: "", REGION: "us" } });
    let row = await db().trainingCommand.findFirstOrThrow({ where: { projectId: project.id, name: "train" } });
    expect(row.env).toEqual({ API_KEY: SECRET, REGION: "us" });
    await callerAs(owner).training.saveCommand({ projectId: project.id, name: "train", command: "python3 train.py", env: { API_KEY: "rotated" } });
    row = await db().trainingCommand.findFirstOrThrow({ where: { projectId: project.id, name: "train" } });
    expect(row.env).toEqual({ API_KEY: "rotated" });
    // The audit trail does not keep values either.
    const audits = await db().auditEvent.findMany({ where: { projectId: project.id, action: "command.save" } });
    expect(JSON.stringify(audits)).not.toMatch(/s3cr3t|rotated/);
  });
});
