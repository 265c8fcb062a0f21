/** Names shared by the registry, gates and promotion: one definition each. */
import { z } from "zod";

export const MODEL_TASKS = ["regression", "binary"] as const;
export const ZModelTask = z.enum(MODEL_TASKS);
export type ModelTask = z.infer<typeof ZModelTask>;

/** The alias promotion moves and rollback walks back. */
export const CHAMPION = "champion";

export const ZModelName = z
  .string()
  .trim()
  .min(2, "A model name has at least 2 characters")
  .max(80)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "A model name uses lowercase letters, digits, '.', '_' and '-' and starts with a letter or digit");

export const ZAliasName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9_-]*$/, "An alias uses lowercase letters, digits, '_' and '-' and starts with a letter");

export const ALIAS_MOVE_KINDS = ["set", "promote", "override", "rollback", "remove"] as const;
export type AliasMoveKind = (typeof ALIAS_MOVE_KINDS)[number];

/** A gate policy's approval rule: how many approvals, from members of at least which role. */
export const ZApprovalRule = z
  .object({
    required: z.number().int().min(0).max(10).default(1),
    min_role: z.enum(["MEMBER", "ADMIN", "OWNER"]).default("ADMIN"),
  })
  .strict();
export type ApprovalRule = z.infer<typeof ZApprovalRule>;
