import { z } from "zod";
import { ZId } from "../lib/ids";

export const ZPingInput = z.object({ orgId: ZId, holdMs: z.number().int().min(0).max(60_000).default(0) });
export const ZGetPingInput = z.object({ orgId: ZId, pingId: ZId });

export const ZPingDto = z.object({
  id: z.string(),
  status: z.enum(["QUEUED", "RUNNING", "COMPLETED", "FAILED"]),
  deliveries: z.number(),
  hostname: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
  roundTripMs: z.number().nullable(),
});
export type PingDto = z.infer<typeof ZPingDto>;

export const ZHealthDto = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  database: z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), error: z.string().optional() }),
  queue: z.object({ ok: z.boolean(), queued: z.number().nullable(), active: z.number().nullable(), error: z.string().optional() }),
  workers: z.object({ online: z.number() }).nullable(),
  version: z.string(),
});
export type HealthDto = z.infer<typeof ZHealthDto>;
