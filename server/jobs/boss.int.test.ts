/** Queue options follow definitions.ts on every start, also for queues an older release made. */
import { afterAll, describe, expect, it } from "vitest";
import { getBoss, stopBoss } from "./boss";
import { outboxDispatch } from "./definitions";

afterAll(() => stopBoss({ graceful: false, timeoutMs: 2000 }));

describe("getBoss", () => {
  it("brings an existing queue's retry options up to its definition on start", async () => {
    let boss = await getBoss();
    // As an older release left it: shorter retries, no cap on the backoff.
    await boss.updateQueue(outboxDispatch.name, { retryLimit: 2, retryDelay: 1, retryDelayMax: null, expireInSeconds: 60 });
    expect(await boss.getQueue(outboxDispatch.name)).toMatchObject({ retryLimit: 2, retryDelay: 1, expireInSeconds: 60 });
    await stopBoss({ graceful: false, timeoutMs: 2000 });
    boss = await getBoss();
    const queue = await boss.getQueue(outboxDispatch.name);
    expect(queue).toMatchObject({ retryLimit: 10, retryDelay: 5, retryBackoff: true, retryDelayMax: 30, expireInSeconds: 300 });
  });
});
