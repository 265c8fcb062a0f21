import { describe, expect, it } from "vitest";
import { db } from "../db";
import { callerAs, createUser, mintToken, callerWithToken, uniq } from "../testing/factories";
import { registerWorker } from "./workers";

const host = (id: string, orgId: string | null = null) => ({
  id,
  hostname: `${id}.internal`,
  pid: 4242,
  queues: ["train.v1"],
  concurrency: { "train.v1": 2 },
  cpuCount: 16,
  cpuModel: "Xeon Secret 9000",
  memoryBytes: 64 * 2 ** 30,
  gpus: [{ name: "H200", memoryMiB: 141_000, driver: "560.1", uuid: "GPU-1234" }],
  version: "0.1.0",
  nodeVersion: "v24.21.0",
  orgId,
});

describe("who sees a worker's host details", () => {
  it("a member sees a shared worker's capacity under a neutral label; an installation admin sees the host; an org sees its own pool's hosts", async () => {
    const member = await createUser();
    const admin = await createUser();
    await db().user.update({ where: { id: admin.userId }, data: { isInstallationAdmin: true } });
    const sharedId = uniq("shared-host");
    const ownId = uniq("own-host");
    await registerWorker(host(sharedId));
    await registerWorker(host(ownId, member.orgId));

    const seen = await callerAs(member).worker.list({ includeOffline: true });
    const shared = seen.find((w) => w.pool === "shared" && w.cpuModel === null && w.queues.includes("train.v1") && w.cpuCount === 16)!;
    expect(shared).toMatchObject({ detailed: false, pid: null, memoryBytes: null, version: null, nodeVersion: null, concurrency: { "train.v1": 2 } });
    expect(shared.hostname).toMatch(/^shared worker \d+$/);
    expect(shared.gpus).toEqual([{ name: "H200", memoryMiB: 141_000, driver: null, uuid: null }]);
    expect(JSON.stringify(seen)).not.toContain(sharedId);
    expect(seen.find((w) => w.id === ownId)).toMatchObject({ detailed: true, hostname: `${ownId}.internal`, pid: 4242, cpuModel: "Xeon Secret 9000" });

    // Tokens of the organisation see the same as its members.
    const { secret } = await mintToken(member, { role: "VIEWER" });
    const byToken = await (await callerWithToken(secret)).worker.list({ includeOffline: true });
    expect(JSON.stringify(byToken)).not.toContain(sharedId);

    const adminView = await callerAs(admin).worker.list({ includeOffline: true });
    expect(adminView.find((w) => w.id === sharedId)).toMatchObject({ detailed: true, hostname: `${sharedId}.internal`, pid: 4242, memoryBytes: 64 * 2 ** 30, gpus: [{ uuid: "GPU-1234" }] });
    // Another organisation's own pool stays invisible even to an installation admin's org listing.
    expect(adminView.find((w) => w.id === ownId)).toBeUndefined();
  });
});
