import { z } from "zod";
import { cancelInvitation, inviteMember } from "../../tenancy/invitations";
import { listMembers, removeMember, setMemberRole } from "../../tenancy/members";
import {
  ZCancelInvitationInput,
  ZInviteInput,
  ZInviteResult,
  ZMemberDto,
  ZMemberListDto,
  ZRemoveMemberInput,
  ZSetRoleInput,
} from "../../tenancy/schemas";
import { createTRPCRouter, orgProcedure } from "../trpc";

export const memberRouter = createTRPCRouter({
  /** Pending invitations are listed for admins and up only; they name addresses outside the org. */
  list: orgProcedure("VIEWER").output(ZMemberListDto).query(({ ctx }) => listMembers(ctx.org.id, ctx.role)),

  invite: orgProcedure("ADMIN")
    .input(ZInviteInput)
    .output(ZInviteResult)
    .mutation(({ ctx, input }) =>
      inviteMember({ orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, email: input.email, role: input.role }),
    ),

  cancelInvitation: orgProcedure("ADMIN")
    .input(ZCancelInvitationInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      cancelInvitation({ orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, invitationId: input.invitationId }),
    ),

  setRole: orgProcedure("ADMIN")
    .input(ZSetRoleInput)
    .output(ZMemberDto)
    .mutation(({ ctx, input }) =>
      setMemberRole({ orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, userId: input.userId, role: input.role }),
    ),

  /** Admins remove others; any member may remove themselves (leave). */
  remove: orgProcedure("VIEWER")
    .input(ZRemoveMemberInput)
    .output(z.object({ userId: z.string() }))
    .mutation(({ ctx, input }) => removeMember({ orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, userId: input.userId })),
});
