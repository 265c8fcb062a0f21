import { z } from "zod";
import { ZEmail, ZName } from "../lib/ids";
import { ZInvitationSecret } from "../tenancy/schemas";

export const ZPassword = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(200, "must be at most 200 characters");

export const ZSignUpInput = z.object({
  email: ZEmail,
  name: ZName,
  password: ZPassword,
  orgName: ZName.optional(),
  /** The secret of an invitation link: the account joins that organisation instead of getting its own. */
  invitation: ZInvitationSecret.optional(),
});
export type SignUpInput = z.infer<typeof ZSignUpInput>;

/** The same whether or not the address already had an account: sign-up must not reveal who uses Cairn. */
export const ZSignUpResult = z.object({ ok: z.literal(true) });

export const ZCredentials = z.object({ email: ZEmail, password: z.string().min(1).max(200) });

export const ZMeDto = z.object({
  kind: z.enum(["user", "token"]),
  id: z.string(),
  label: z.string(),
  email: z.string().nullable(),
  orgId: z.string().nullable(),
  projectId: z.string().nullable(),
  role: z.string().nullable(),
});

export const ZChangePasswordInput = z.object({ currentPassword: z.string().min(1).max(200), newPassword: ZPassword });

export const ZAccountDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  createdAt: z.date(),
  sessions: z.array(z.object({ id: z.string(), ip: z.string().nullable(), createdAt: z.date(), lastSeenAt: z.date(), current: z.boolean() })),
});
export type AccountDto = z.infer<typeof ZAccountDto>;
