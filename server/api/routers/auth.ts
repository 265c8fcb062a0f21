import { z } from "zod";
import { revokeAllSessions } from "../../auth/sessions";
import { signUpMode } from "../../auth/policy";
import { signUp } from "../../auth/sign-up";
import { ZMeDto, ZSignUpInput, ZSignUpResult } from "../../auth/schemas";
import { createTRPCRouter, protectedProcedure, publicProcedure, userProcedure } from "../trpc";

export const authRouter = createTRPCRouter({
  signUp: publicProcedure.input(ZSignUpInput).output(ZSignUpResult).mutation(({ ctx, input }) => signUp(input, ctx.ip ?? "unknown")),

  /** Whether anyone may create an account here ("open") or only through an invitation link ("invite-only"). */
  signUpPolicy: publicProcedure.output(z.object({ mode: z.enum(["open", "invite-only"]) })).query(() => ({ mode: signUpMode() })),

  /** Ends every session of the signed-in user, this one included (the browser then signs out locally). */
  signOutEverywhere: userProcedure.output(z.object({ revoked: z.number() })).mutation(({ ctx }) => revokeAllSessions(ctx.user.userId)),

  me: protectedProcedure.output(ZMeDto).query(({ ctx }) => {
    const id = ctx.identity;
    return id.kind === "user"
      ? { kind: "user" as const, id: id.userId, label: id.name, email: id.email, orgId: null, projectId: null, role: null }
      : { kind: "token" as const, id: id.tokenId, label: id.label, email: null, orgId: id.orgId, projectId: id.projectId, role: id.role };
  }),
});
