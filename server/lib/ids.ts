import { z } from "zod";

/** Shared zod pieces: ids, slugs, names, pagination. Free of server-only imports. */
export const ZId = z.string().min(1).max(64).regex(/^[a-z0-9]+$/i, "must be an id");

export const RESERVED_SLUGS = new Set([
  "api", "app", "settings", "workers", "new", "sign-in", "sign-up", "sign-out", "invite", "_next", "static", "public", "admin",
]);

export const ZSlug = z
  .string()
  .min(2, "must be at least 2 characters")
  .max(48, "must be at most 48 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lowercase letters, digits and single dashes")
  .refine((s) => !RESERVED_SLUGS.has(s), "is a reserved word");

export const ZName = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

export const ZEmail = z.string().trim().toLowerCase().max(254).pipe(z.email("must be an e-mail address"));

export const ZPageInput = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** What a delete answers: how many stored files went with it (bytes other rows use stay). */
export const ZDeleteResultDto = z.object({ removedArtifacts: z.number().int() });

/** Turns a display name into a slug candidate. */
export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return s.length >= 2 && !RESERVED_SLUGS.has(s) ? s : `${s || "org"}-${Math.random().toString(36).slice(2, 6)}`;
}
