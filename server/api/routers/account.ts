import { z } from "zod";
import { changePassword, getAccount, signOutOtherSessions } from "../../auth/account";
import { ZAccountDto, ZChangePasswordInput } from "../../auth/schemas";
import { createTRPCRouter, userProcedure } from "../trpc";

/** The signed-in user's own account; API tokens have none. */
export const accountRouter = createTRPCRouter({
  get: userProcedure.output(ZAccountDto).query(({ ctx }) => getAccount({ userId: ctx.user.userId, sessionId: ctx.user.sessionId ?? null })),

  changePassword: userProcedure
    .input(ZChangePasswordInput)
    .output(z.object({ revokedSessions: z.number() }))
    .mutation(({ ctx, input }) =>
      changePassword({ userId: ctx.user.userId, email: ctx.user.email, sessionId: ctx.user.sessionId ?? null, current: input.currentPassword, next: input.newPassword, ip: ctx.ip }),
    ),

  signOutOthers: userProcedure.output(z.object({ revoked: z.number() })).mutation(({ ctx }) => signOutOtherSessions({ userId: ctx.user.userId, sessionId: ctx.user.sessionId ?? null })),
});
