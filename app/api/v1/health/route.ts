import { checkHealth } from "@/server/system/health";

export const dynamic = "force-dynamic";

/** Liveness for load balancers and CI: 200 with database and queue status, 503 when Postgres is down. */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === "down" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}
