import { describe, expect, it } from "vitest";
import { callerAs, createUser } from "../testing/factories";

describe("org.list", () => {
  it("returns the user's own organisation as OWNER", async () => {
    const user = await createUser();
    const orgs = await callerAs(user).org.list();
    expect(orgs).toHaveLength(1);
    expect(orgs[0]).toMatchObject({ id: user.orgId, slug: user.orgSlug, role: "OWNER" });
  });

  it("rejects anonymous callers", async () => {
    await expect(callerAs(null).org.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
