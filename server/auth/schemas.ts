import { z } from "zod";
import { ZEmail, ZName } from "../lib/ids";

export const ZPassword = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(200, "must be at most 200 characters");

export const ZSignUpInput = z.object({
  email: ZEmail,
  name: ZName,
  password: ZPassword,
  orgName: ZName.optional(),
});
export type SignUpInput = z.infer<typeof ZSignUpInput>;

export const ZSignUpResult = z.object({
  userId: z.string(),
  orgSlug: z.string(),
  joinedOrgs: z.array(z.string()),
});

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
