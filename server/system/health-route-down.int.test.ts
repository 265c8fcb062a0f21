/**
 * GET /api/v1/health while Postgres is unreachable. The address is set before any server module is
 * imported, because env() reads it once.
 */
import { describe, expect, it } from "vitest";

process.env.DATABASE_URL = "postgresql://u:p@127.0.0.1:1/none";

describe("GET /api/v1/health with the database down", () => {
  it("answers 503 with database.ok false", async () => {
    const { GET } = await import("@/app/api/v1/health/route");
    const response = await GET();
    expect(response.status).toBe(503);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { status: string; database: { ok: boolean; error?: string }; queue: { ok: boolean } };
    expect(body).toMatchObject({ status: "down", database: { ok: false }, queue: { ok: false } });
    expect(body.database.error).toMatch(/ECONNREFUSED|connect/i);
  });
});
